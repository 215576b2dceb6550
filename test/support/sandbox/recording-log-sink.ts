/** A LogSink that keeps every event, for assertions. */
import type { LogEvent, LogSink } from '../../../src/sandbox/types.js';
import type { Scope } from '../../../src/shared/scope.js';

export interface RecordedEvent extends LogEvent {
  scope: Scope;
  logGroupName: string;
  logStreamName: string;
}

export class RecordingLogSink implements LogSink {
  readonly events: RecordedEvent[] = [];
  private waiters: { test: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }[] = [];

  append(scope: Scope, logGroupName: string, logStreamName: string, events: LogEvent[]): void {
    for (const e of events) {
      const rec = { ...e, scope, logGroupName, logStreamName };
      this.events.push(rec);
      this.waiters = this.waiters.filter((w) => (w.test(rec) ? (w.resolve(rec), false) : true));
    }
  }

  /** Messages, optionally of one stream. */
  messages(logStreamName?: string): string[] {
    return this.events.filter((e) => !logStreamName || e.logStreamName === logStreamName).map((e) => e.message);
  }

  /** Resolves with the first event (past or future) whose message matches. */
  waitFor(match: RegExp | string): Promise<RecordedEvent> {
    const test = (e: RecordedEvent) => (typeof match === 'string' ? e.message.includes(match) : match.test(e.message));
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}
