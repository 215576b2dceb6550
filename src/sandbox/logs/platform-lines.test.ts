import { describe, expect, it } from 'vitest';
import { describeExit, exited, initTimedOut, responseTooLarge, timedOut } from '../environment/platform-errors.js';
import { billedDuration, endLine, initReportLine, reportLine, reportRecord, startLine, startRecord, systemLogWanted, timeoutLine } from './platform-lines.js';

const id = '8476a536-e9f4-11e8-9739-2dfe598c3fcd';
const parsed = (b: Buffer) => JSON.parse(b.toString()) as Record<string, string>;

describe('platform lines', () => {
  it('prints START, END and REPORT as Lambda does', () => {
    expect(startLine(id, '$LATEST')).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(endLine(id)).toBe(`END RequestId: ${id}`);
    expect(
      reportLine({ requestId: id, durationMs: 12.344, billedDurationMs: 13, memorySize: 128, maxMemoryUsedMb: 40, initDurationMs: 95.123 }),
    ).toBe(`REPORT RequestId: ${id}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 95.12 ms\t`);
    expect(reportLine({ requestId: id, durationMs: 1, billedDurationMs: 1, memorySize: 512, maxMemoryUsedMb: 3 })).toBe(
      `REPORT RequestId: ${id}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 512 MB\tMax Memory Used: 3 MB\t`,
    );
  });

  it('rounds billed duration up to the millisecond, at least 1 ms', () => {
    expect(billedDuration(12.01)).toBe(13);
    expect(billedDuration(12)).toBe(12);
    expect(billedDuration(0.2)).toBe(1);
    expect(billedDuration(0)).toBe(1);
  });

  it('prints INIT_REPORT and the timeout notice', () => {
    expect(initReportLine(5031.951, 'error', 'Runtime.ImportModuleError')).toBe(
      'INIT_REPORT Init Duration: 5031.95 ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError',
    );
    expect(initReportLine(10000, 'timeout')).toBe('INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout');
    expect(timeoutLine(Date.UTC(2024, 0, 1, 0, 0, 3, 5), id, 3)).toBe(`2024-01-01T00:00:03.005Z ${id} Task timed out after 3.00 seconds`);
  });
});

describe('platform errors', () => {
  it('words a timeout with the function timeout to two decimals', () => {
    expect(parsed(timedOut(id, 3).payload)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${id} Error: Task timed out after 3.00 seconds`,
    });
    expect(parsed(initTimedOut(id, 10_000).payload).errorMessage).toBe(`RequestId: ${id} Error: Init phase timed out after 10.00 seconds`);
  });

  it('words exits as Go does', () => {
    expect(describeExit({ code: 1, signal: null })).toBe('exit status 1');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('signal: killed');
    expect(describeExit({ code: null, signal: 'SIGSEGV' })).toBe('signal: segmentation fault');
    expect(parsed(exited(id, { code: 2, signal: null }, '/x').payload)).toEqual({
      errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 2`,
      errorType: 'Runtime.ExitError',
    });
    expect(parsed(exited(id, { code: 0, signal: null }, '/x').payload).errorMessage).toBe(
      `RequestId: ${id} Error: Runtime exited without providing a reason`,
    );
  });

  it('reports an entrypoint that cannot run', () => {
    expect(parsed(exited(id, { code: null, signal: null, error: 'EACCES' }, '/code/bootstrap').payload)).toEqual({
      errorMessage: `RequestId: ${id} Error: fork/exec /code/bootstrap: permission denied`,
      errorType: 'Runtime.InvalidEntrypoint',
    });
    expect(parsed(exited(id, { code: null, signal: null, error: 'ENOENT' }, '/c/bootstrap', '/c/bootstrap /l/bootstrap').payload).errorMessage).toBe(
      `RequestId: ${id} Error: Couldn't find valid bootstrap(s): [/c/bootstrap /l/bootstrap]`,
    );
  });

  it('reports an oversized response with AWS words and number', () => {
    expect(parsed(responseTooLarge().payload)).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
  });
});

describe('JSON platform records', () => {
  it('formats platform.start and platform.report as the JSON log format does', () => {
    expect(JSON.parse(startRecord(0, 'r1', '$LATEST'))).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      type: 'platform.start',
      record: { requestId: 'r1', version: '$LATEST' },
    });
    const report = JSON.parse(reportRecord(0, { requestId: 'r1', durationMs: 1.234, billedDurationMs: 2, memorySize: 128, maxMemoryUsedMb: 40, initDurationMs: 50.5 }, 'error'));
    expect(report).toMatchObject({
      type: 'platform.report',
      record: { requestId: 'r1', status: 'error', metrics: { durationMs: 1.23, billedDurationMs: 2, memorySizeMB: 128, maxMemoryUsedMB: 40, initDurationMs: 50.5 } },
    });
  });

  it('keeps INFO platform records under SystemLogLevel DEBUG and INFO (the default), not WARN', () => {
    expect(systemLogWanted('INFO', undefined)).toBe(true);
    expect(systemLogWanted('INFO', 'DEBUG')).toBe(true);
    expect(systemLogWanted('INFO', 'WARN')).toBe(false);
    expect(systemLogWanted('DEBUG', 'INFO')).toBe(false);
    expect(systemLogWanted('WARN', 'WARN')).toBe(true);
  });
});
