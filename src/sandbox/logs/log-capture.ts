/**
 * Turns a runtime's stdout and stderr into log events: one event per line (lines longer than a
 * CloudWatch event are split), sent to the LogSink under the environment's stream, with
 * Lambda's platform lines (START/END/REPORT...) interleaved by the environment. Partial lines
 * wait for their newline, up to the event size limit; nothing else is buffered here except the
 * current invocation's tail, when one was asked for.
 *
 * Each invocation may write `MAX_INVOCATION_LOG_CHARS` of output (from one END to the next);
 * past that, output is only counted, never decoded into events, and `endInvocation` gives the
 * one platform line that says how much was dropped. A flood costs the server a pipe read and a
 * newline count per chunk, and the store at most the cap.
 */
import type { Readable } from 'node:stream';
import type { Clock } from '../../shared/clock.js';
import type { Scope } from '../../shared/scope.js';
import { MAX_INVOCATION_LOG_CHARS, MAX_LOG_LINE_CHARS } from '../limits.js';
import { LogTail } from './log-tail.js';
import { droppedLogsLine } from './platform-lines.js';
import type { LogEvent, LogSink } from '../types.js';

/** Captures one environment's output into its log stream. */
export class LogCapture {
  private readonly partial = ['', ''];
  private tail: LogTail | undefined;
  private open = 0;
  /** Characters the current invocation may still write; past it, output is dropped. */
  private budget: number;
  private droppedLines = 0;
  private droppedChars = 0;
  private closedResolve!: () => void;
  /** Settles when every attached stream has ended (the process and its children closed them). */
  readonly closed: Promise<void> = new Promise((resolve) => (this.closedResolve = resolve));

  constructor(
    private readonly sink: LogSink,
    private readonly scope: Scope,
    private readonly logGroupName: string,
    readonly logStreamName: string,
    private readonly clock: Clock,
    private readonly maxInvocationChars = MAX_INVOCATION_LOG_CHARS,
  ) {
    this.budget = maxInvocationChars;
  }

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
    this.sink.append(this.scope, this.logGroupName, this.logStreamName, events);
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

  /**
   * Closes the invocation's log budget: the platform line saying what was dropped (none when
   * nothing was), and a fresh budget for what comes next.
   */
  endInvocation(requestId: string): string[] {
    const lines = this.droppedChars > 0 || this.droppedLines > 0
      ? [droppedLogsLine(requestId, this.droppedLines, this.droppedChars, this.maxInvocationChars)]
      : [];
    this.budget = this.maxInvocationChars;
    this.droppedLines = 0;
    this.droppedChars = 0;
    return lines;
  }

  /** Emits partial lines now, so that output without a final newline lands before END. */
  flushPartials(): void {
    for (let i = 0; i < 2; i++) {
      if (this.partial[i] === '') continue;
      const events: LogEvent[] = [];
      this.emit(this.partial[i]!, this.clock.now(), events);
      this.partial[i] = '';
      if (events.length > 0) this.sink.append(this.scope, this.logGroupName, this.logStreamName, events);
    }
  }

  private onData(stream: number, chunk: string): void {
    if (this.budget <= 0) return this.drop(stream, chunk);
    const now = this.clock.now();
    const events: LogEvent[] = [];
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl >= 0) {
      if (this.budget <= 0) {
        // The cap was reached inside this chunk: the rest is only counted.
        if (events.length > 0) this.sink.append(this.scope, this.logGroupName, this.logStreamName, events);
        return this.drop(stream, chunk.slice(start));
      }
      const piece = chunk.slice(start, nl);
      const line = this.partial[stream] === '' ? piece : this.partial[stream] + piece;
      this.partial[stream] = '';
      const dropped = this.droppedChars;
      this.emit(line, now, events);
      if (this.droppedChars !== dropped) this.droppedLines++;
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
    if (events.length > 0) this.sink.append(this.scope, this.logGroupName, this.logStreamName, events);
  }

  /** Over the cap: counts the chunk's lines and characters, keeps nothing. */
  private drop(stream: number, chunk: string): void {
    let lines = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', nl + 1)) lines++;
    this.droppedLines += lines;
    this.droppedChars += chunk.length - lines + this.partial[stream]!.length;
    this.partial[stream] = '';
  }

  private emit(line: string, timestamp: number, into: LogEvent[]): void {
    // CloudWatch refuses empty events; a blank line carries nothing.
    if (line === '') return;
    if (line.length > this.budget) {
      // Lines are counted where their newline is seen, characters here.
      this.budget = 0;
      this.droppedChars += line.length;
      return;
    }
    this.budget -= line.length;
    for (let at = 0; at < line.length; at += MAX_LOG_LINE_CHARS) {
      const message = line.length <= MAX_LOG_LINE_CHARS ? line : line.slice(at, at + MAX_LOG_LINE_CHARS);
      this.tail?.add(message);
      into.push({ timestamp, message });
    }
  }
}
