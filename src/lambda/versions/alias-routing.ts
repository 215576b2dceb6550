/**
 * Weighted alias routing: an alias with AdditionalVersionWeights `{ "2": 0.3 }` sends about 30%
 * of its invokes to version 2 and the rest to its own FunctionVersion. The choice is a pure
 * function of the alias and one uniform random number, so it is tested without chance.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
 */
import type { AliasRecord } from '../store/function-store.js';

/** The version one invoke of `alias` runs, given `random` uniform in [0, 1). */
export function chooseAliasVersion(alias: Pick<AliasRecord, 'functionVersion' | 'additionalVersionWeights'>, random: number): string {
  let threshold = 0;
  for (const [version, weight] of Object.entries(alias.additionalVersionWeights)) {
    threshold += weight;
    if (random < threshold) return version;
  }
  return alias.functionVersion;
}
