/**
 * CloudWatch Logs filter patterns, compiled once into a matcher:
 * - term patterns: `ERROR` (every term must appear), `"exact phrase"`, `-term` (must not
 *   appear), `?a ?b` (at least one must appear); matching is case-sensitive, as CloudWatch's;
 * - JSON patterns: `{ $.level = "ERROR" }`, `{ $.latency > 100 }`, `!=`, `<`, `<=`, `>`, `>=`,
 *   `&&`, `||`, parentheses, `*` wildcards in strings, `IS TRUE|FALSE|NULL`, `NOT EXISTS`;
 *   a message that is not a JSON object never matches.
 * The empty pattern matches everything.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
import { LogsErrors } from './logs-errors.js';
import { compileJsonPattern } from './json-filter-pattern.js';

export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const source = (pattern ?? '').trim();
  if (source === '') return () => true;
  if (source.startsWith('{')) return compileJsonPattern(source);
  if (source.startsWith('[')) {
    throw LogsErrors.invalidParameter('Space-delimited filter patterns are not supported by this Nimbus version yet.');
  }
  return compileTermPattern(source);
}

function compileTermPattern(source: string): Matcher {
  if ((source.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1) throw LogsErrors.invalidParameter('Invalid filter pattern: unbalanced quotes.');
  const required: string[] = [];
  const excluded: string[] = [];
  const optional: string[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source))) {
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    if (term === '') continue;
    if (m[1] === '-') excluded.push(term);
    else if (m[1] === '?') optional.push(term);
    else required.push(term);
  }
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)));
}
