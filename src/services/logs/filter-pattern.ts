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
import type { TextFilter } from './store/log-store.js';
import { LogsErrors } from './logs-errors.js';
import { compileJsonPattern } from './json-filter-pattern.js';

export type Matcher = (message: string) => boolean;

/**
 * Substrings every message the pattern matches contains, for the store to filter on before it
 * reads rows out: exactly the terms of a term pattern; for a JSON pattern only the `{` any JSON
 * object has. The matcher still decides; this only narrows what it is shown.
 */
export function requiredText(pattern: string | undefined): TextFilter | undefined {
  const source = (pattern ?? '').trim();
  if (source === '' || source.startsWith('[')) return undefined;
  if (source.startsWith('{')) return { all: ['{'], none: [], any: [] };
  const t = parseTerms(source);
  return { all: t.required, none: t.excluded, any: t.optional };
}

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
  const { required, excluded, optional } = parseTerms(source);
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)));
}

function parseTerms(source: string): { required: string[]; excluded: string[]; optional: string[] } {
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
  return { required, excluded, optional };
}
