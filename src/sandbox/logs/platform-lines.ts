/**
 * The lines Lambda itself writes into a function's log stream, formatted as AWS prints them.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
 */

/** What INIT_START names: the runtime's version and its ARN (RuntimeVersionConfig's). */
export interface RuntimeVersion {
  version: string;
  arn: string;
}

/** Printed when an environment's init phase begins (a cold start). */
export function initStartLine(runtime: RuntimeVersion): string {
  return `INIT_START Runtime Version: ${runtime.version}\tRuntime Version ARN: ${runtime.arn}`;
}

/** Printed when an invocation is handed to the runtime. */
export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

/** Printed when an invocation is over. */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/** The figures of a REPORT line. */
export interface ReportFigures {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  /** Only on the invocation that paid for the cold start. */
  initDurationMs?: number;
}

/** `REPORT RequestId: …\tDuration: 12.34 ms\t…` with AWS's trailing tab. */
export function reportLine(f: ReportFigures): string {
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${f.billedDurationMs} ms\tMemory Size: ${f.memorySize} MB\t` +
    `Max Memory Used: ${f.maxMemoryUsedMb} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  return line;
}

/**
 * Printed before END when the invocation wrote more output than the per-invocation cap: Nimbus's
 * own line (Lambda has no such cap), tab-separated like REPORT.
 */
export function droppedLogsLine(requestId: string, lines: number, chars: number, limitChars: number): string {
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(2);
  return (
    `LOGS RequestId: ${requestId}\tDropped: ${lines} lines\tDropped Size: ${mb(chars)} MB\t` +
    `Reason: over the limit of ${mb(limitChars)} MB of log output per invocation`
  );
}

/** Printed when the init phase fails or times out (Lambda's INIT_REPORT line). */
export function initReportLine(initDurationMs: number, status: 'error' | 'timeout', errorType?: string): string {
  const line = `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}`;
  return errorType ? `${line}\tError Type: ${errorType}` : line;
}

/** Lambda's timeout line: `<ISO time> <request id> Task timed out after 3.00 seconds`. */
export function timeoutLine(now: number, requestId: string, timeoutSeconds: number): string {
  return `${new Date(now).toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/**
 * The JSON log format's platform records (LoggingConfig LogFormat JSON): `platform.start` in place
 * of START, `platform.report` in place of END and REPORT.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
 */
export function initStartRecord(now: number, initializationType: string, runtime: RuntimeVersion): string {
  return JSON.stringify({
    time: new Date(now).toISOString(),
    type: 'platform.initStart',
    record: { initializationType, phase: 'init', runtimeVersion: runtime.version, runtimeVersionArn: runtime.arn },
  });
}

export function startRecord(now: number, requestId: string, version: string): string {
  return JSON.stringify({ time: new Date(now).toISOString(), type: 'platform.start', record: { requestId, version } });
}

/** LoggingConfig.SystemLogLevel values, most detail first. */
const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'];

/**
 * Whether a platform record of `level` is written under the function's SystemLogLevel (INFO when
 * unset): Lambda sends system logs at the chosen level and the less detailed ones. The
 * platform.start and platform.report records are INFO, so WARN leaves them out.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
 */
export function systemLogWanted(level: 'DEBUG' | 'INFO' | 'WARN', systemLogLevel: string | undefined): boolean {
  const chosen = SYSTEM_LOG_LEVELS.indexOf(systemLogLevel ?? 'INFO');
  return SYSTEM_LOG_LEVELS.indexOf(level) >= (chosen < 0 ? 1 : chosen);
}

/** `platform.report` with the REPORT figures and how the invocation ended. */
export function reportRecord(now: number, f: ReportFigures, status: 'success' | 'error'): string {
  return JSON.stringify({
    time: new Date(now).toISOString(),
    type: 'platform.report',
    record: {
      requestId: f.requestId,
      metrics: {
        durationMs: Number(f.durationMs.toFixed(2)),
        billedDurationMs: f.billedDurationMs,
        memorySizeMB: f.memorySize,
        maxMemoryUsedMB: f.maxMemoryUsedMb,
        ...(f.initDurationMs !== undefined ? { initDurationMs: Number(f.initDurationMs.toFixed(2)) } : {}),
      },
      status,
    },
  });
}

/** Billed duration: rounded up to the millisecond, at least 1 ms. */
export function billedDuration(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}
