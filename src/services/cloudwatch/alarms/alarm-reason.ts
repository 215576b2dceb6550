/**
 * The words and JSON CloudWatch writes when an alarm changes state: StateReason text
 * ("Threshold Crossed: 1 out of the last 1 datapoints [5.0 (27/11/24 10:00:00)] was greater than
 * the threshold (3.0) (minimum 1 datapoint for OK -> ALARM transition).") and StateReasonData
 * (`{"version":"1.0","queryDate":...,"evaluatedDatapoints":[...]}`). CloudWatch is written in
 * Java and prints numbers as Java does (`5.0`, `1.0E8`); so do we, in the text and in the JSON.
 * The shapes follow alarm state changes as AWS delivers them (SNS/EventBridge payloads and
 * DescribeAlarms output); where AWS's wording is not published (missing datapoints filled in
 * among real ones) ours is marked below.
 */

/** One evaluated period: its start and, when it had data, the statistic and sample count. */
export interface ReasonDatapoint {
  timestamp: number;
  value?: number;
  sampleCount?: number;
}

/** A number as Java's Double.toString prints it. */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(v);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(v);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `dd/MM/yy HH:mm:ss` in UTC: how a reason dates a datapoint. */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** `2024-09-19T06:01:18.043+0000`: CloudWatch's timestamps inside JSON documents. */
export function cloudWatchTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** The words for each comparison, as reasons use them. */
const PHRASES: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const wasWere = (n: number) => (n === 1 ? 'was' : 'were');
const listed = (points: ReasonDatapoint[]) => `[${points.map((p) => `${javaDouble(p.value!)} (${reasonDate(p.timestamp)})`).join(', ')}]`;
/** Reasons quote at most this many datapoints; with more, the most recent ones after the sentence. */
const QUOTED = 5;

/** What a "Threshold Crossed" reason says. */
export interface CrossingReason {
  /** How many of the evaluated datapoints were (or, `negated`, were not) on the alarm's side. */
  count: number;
  evaluationPeriods: number;
  /** The real datapoints counted, newest first. */
  points: ReasonDatapoint[];
  /** OK transitions say "was not greater than ...". */
  negated: boolean;
  comparisonOperator: string;
  threshold: number;
  /** Datapoints needed for this transition: M for ALARM, N - M + 1 for OK. */
  minimum: number;
  transition: 'OK -> ALARM' | 'ALARM -> OK';
  /** Missing datapoints counted in `count`, per TreatMissingData (our wording: AWS's is unpublished). */
  filled?: { count: number; as: 'Breaching' | 'NonBreaching' };
}

/** "Threshold Crossed: 2 out of the last 3 datapoints [...] were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition)." */
export function crossingReason(r: CrossingReason): string {
  const comparison = `${wasWere(r.count)} ${r.negated ? 'not ' : ''}${PHRASES[r.comparisonOperator]} the threshold (${javaDouble(r.threshold)})`;
  const head = `${r.count} out of the last ${r.evaluationPeriods} datapoints`;
  let sentence =
    r.points.length > QUOTED
      ? `${head} ${comparison}. The most recent datapoints which crossed the threshold: ${listed(r.points.slice(0, QUOTED))}`
      : `${head}${r.points.length > 0 ? ` ${listed(r.points)}` : ''} ${comparison}`;
  if (r.filled) sentence += ` (${plural(r.filled.count, 'missing datapoint')} ${wasWere(r.filled.count)} treated as [${r.filled.as}])`;
  return `Threshold Crossed: ${sentence} (minimum ${plural(r.minimum, 'datapoint')} for ${r.transition} transition).`;
}

/** "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching]." */
export function noDataReason(evaluationPeriods: number, as: 'Breaching' | 'NonBreaching'): string {
  return `Threshold Crossed: no datapoints were received for ${plural(evaluationPeriods, 'period')} and ${plural(evaluationPeriods, 'missing datapoint')} ${wasWere(evaluationPeriods)} treated as [${as}].`;
}

/** "Insufficient Data: 1 datapoint was unknown." */
export function insufficientDataReason(evaluationPeriods: number): string {
  return `Insufficient Data: ${plural(evaluationPeriods, 'datapoint')} ${wasWere(evaluationPeriods)} unknown.`;
}

/** What StateReasonData records about an evaluation. */
export interface ReasonData {
  queryDate: number;
  unit?: string;
  /** The Statistic or ExtendedStatistic. */
  statistic: string;
  period: number;
  threshold: number;
  /** The evaluated periods, newest first; missing ones have only a timestamp. */
  evaluated: ReasonDatapoint[];
}

/**
 * StateReasonData's JSON, keys in CloudWatch's order. `startDate` (the oldest evaluated period)
 * appears only when there was data; `recentDatapoints` lists the values oldest first.
 */
export function reasonData(d: ReasonData): string {
  const real = d.evaluated.filter((p) => p.value !== undefined);
  const parts = [`"version":"1.0"`, `"queryDate":${JSON.stringify(cloudWatchTimestamp(d.queryDate))}`];
  if (real.length > 0) parts.push(`"startDate":${JSON.stringify(cloudWatchTimestamp(d.evaluated[d.evaluated.length - 1]!.timestamp))}`);
  if (d.unit !== undefined) parts.push(`"unit":${JSON.stringify(d.unit)}`);
  parts.push(
    `"statistic":${JSON.stringify(d.statistic)}`,
    `"period":${d.period}`,
    `"recentDatapoints":[${[...real].reverse().map((p) => javaDouble(p.value!)).join(',')}]`,
    `"threshold":${javaDouble(d.threshold)}`,
    `"evaluatedDatapoints":[${d.evaluated
      .map((p) =>
        p.value === undefined
          ? `{"timestamp":${JSON.stringify(cloudWatchTimestamp(p.timestamp))}}`
          : `{"timestamp":${JSON.stringify(cloudWatchTimestamp(p.timestamp))},"sampleCount":${javaDouble(p.sampleCount ?? 0)},"value":${javaDouble(p.value)}}`,
      )
      .join(',')}]`,
  );
  return `{${parts.join(',')}}`;
}
