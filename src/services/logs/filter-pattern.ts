/**
 * CloudWatch Logs filter patterns, the term subset: `ERROR`, `"exact phrase"`, several terms
 * (all must match). Matching is case-sensitive, as CloudWatch's. Empty pattern matches all.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
import { LogsErrors } from './logs-errors.js';

export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const source = (pattern ?? '').trim();
  if (source === '') return () => true;
  if (source.startsWith('{') || source.startsWith('[')) {
    throw LogsErrors.invalidParameter('JSON and space-delimited filter patterns are not supported by this Nimbus version yet.');
  }
  const terms: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source))) {
    if (m[1] !== undefined) terms.push(m[1].replace(/\\(.)/g, '$1'));
    else terms.push(m[2]!);
  }
  if (source.split('"').length % 2 === 0) throw LogsErrors.invalidParameter('Invalid filter pattern: unbalanced quotes.');
  return (message) => terms.every((t) => message.includes(t));
}
