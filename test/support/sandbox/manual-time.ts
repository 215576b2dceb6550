/** A Clock and Timers that only move when the test says so. */
import type { Clock } from '../../../src/shared/clock.js';
import type { TimerHandle, Timers } from '../../../src/sandbox/timers.js';

interface Pending {
  id: number;
  at: number;
  callback: () => void;
}

export class ManualTime implements Clock, Timers {
  private t: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start = Date.UTC(2024, 0, 15, 12, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.t;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const p = { id: ++this.seq, at: this.t + Math.max(0, ms), callback };
    this.pending.push(p);
    return p.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Timers currently armed. */
  get armed(): number {
    return this.pending.length;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.t = Math.max(this.t, due.at);
      due.callback();
    }
    this.t = end;
  }
}
