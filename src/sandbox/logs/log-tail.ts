/**
 * The last few KB of one invocation's log, for Invoke's LogType=Tail. Lines are dropped from the
 * front as new ones come, so memory stays bounded whatever the function prints.
 */
import { TAIL_BYTES } from '../limits.js';

/** Collects an invocation's log lines, keeping only about the last `limit` bytes. */
export class LogTail {
  private readonly lines: string[] = [];
  private chars = 0;

  constructor(private readonly limit = TAIL_BYTES) {}

  /** Adds one line (without its newline). */
  add(line: string): void {
    this.lines.push(line);
    this.chars += line.length + 1;
    // Keep just enough whole lines to cover `limit` bytes (a char is at least one byte).
    while (this.lines.length > 1 && this.chars - this.lines[0]!.length - 1 >= this.limit) {
      this.chars -= this.lines.shift()!.length + 1;
    }
  }

  /** The last `limit` bytes of the text, base64, as Lambda's LogResult. */
  base64(): string {
    const bytes = Buffer.from(this.lines.join('\n') + '\n', 'utf8');
    return (bytes.length > this.limit ? bytes.subarray(bytes.length - this.limit) : bytes).toString('base64');
  }
}
