/**
 * Turns a runtime's stdout and stderr into log events: one event per line (lines longer than a
 * CloudWatch event are split), sent to the LogSink under the environment's stream, with
 * Lambda's platform lines (START/END/REPORT...) interleaved by the environment. Partial lines
 * wait for their newline, up to the event size limit; nothing else is buffered here except the
 * current invocation's tail, when one was asked for.
 */
import type { Readable } from 'node:stream';
import type { Clock } from '../shared/clock.js';
import { MAX_LOG_LINE_CHARS } from './limits.js';
import { LogTail } from './log-tail.js';
import type { LogEvent, LogSink } from './types.js';

/** Captures one environment's output into its log stream. */
export class LogCapture {
  private readonly partial = ['', ''];
  private tail: LogTail | undefined;
  private open = 0;
  private closedResolve!: () => void;
  /** Settles when every attached stream has ended (the process and its children closed them). */
  readonly closed: Promise<void> = new Promise((resolve) => (this.closedResolve = resolve));

  constructor(
    private readonly sink: LogSink,
    private readonly logGroupName: string,
    readonly logStreamName: string,
    private readonly clock: Clock,
  ) {}

  /** Starts reading the process's output. */
  attach(stdout: Readable, stderr: Readable): void {
    [stdout, stderr].forEach((stream, i) => {
      this.open++;
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.onData(i, chunk));
      stream.once('close', () => {
        if (--this.open === 0) this.closedResolve();
      });
      stream.on('error', () => {
        // A broken pipe ends the capture like a close does.
      });
    });
  }

  /** Writes lines of Lambda's own (START, END, REPORT, ...), in one append. */
  platform(...lines: string[]): void {
    const timestamp = this.clock.now();
    const events: LogEvent[] = [];
    for (const message of lines) {
      this.tail?.add(message);
      events.push({ timestamp, message });
    }
    this.sink.append(this.logGroupName, this.logStreamName, events);
  }

  /** Starts keeping the invocation's text for LogType=Tail. */
  beginTail(): void {
    this.tail = new LogTail();
  }

  /** Stops keeping the text and returns it as Lambda's LogResult (base64), if a tail was begun. */
  endTail(): string | undefined {
    const tail = this.tail;
    this.tail = undefined;
    return tail?.base64();
  }

  /** Emits partial lines now, so that output without a final newline lands before END. */
  flushPartials(): void {
    for (let i = 0; i < 2; i++) {
      if (this.partial[i] === '') continue;
      const events: LogEvent[] = [];
      this.emit(this.partial[i]!, this.clock.now(), events);
      this.partial[i] = '';
      this.sink.append(this.logGroupName, this.logStreamName, events);
    }
  }

  private onData(stream: number, chunk: string): void {
    const now = this.clock.now();
    const events: LogEvent[] = [];
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl >= 0) {
      const piece = chunk.slice(start, nl);
      const line = this.partial[stream] === '' ? piece : this.partial[stream] + piece;
      this.partial[stream] = '';
      this.emit(line, now, events);
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) {
      let rest = this.partial[stream] + chunk.slice(start);
      // A line that never ends must not grow without bound: cut it at the event size limit.
      while (rest.length >= MAX_LOG_LINE_CHARS) {
        this.emit(rest.slice(0, MAX_LOG_LINE_CHARS), now, events);
        rest = rest.slice(MAX_LOG_LINE_CHARS);
      }
      this.partial[stream] = rest;
    }
    if (events.length > 0) this.sink.append(this.logGroupName, this.logStreamName, events);
  }

  private emit(line: string, timestamp: number, into: LogEvent[]): void {
    // CloudWatch refuses empty events; a blank line carries nothing.
    if (line === '') return;
    for (let at = 0; at < line.length; at += MAX_LOG_LINE_CHARS) {
      const message = line.length <= MAX_LOG_LINE_CHARS ? line : line.slice(at, at + MAX_LOG_LINE_CHARS);
      this.tail?.add(message);
      into.push({ timestamp, message });
    }
  }
}
