/**
 * A push-to-pull bridge: producers `push` values as they come (a runtime streaming its
 * response), one consumer iterates them with `for await`. `end` finishes the iteration after
 * what was pushed; `fail` rejects the consumer's next read, after what was pushed. When the
 * consumer stops early (`return`, a client gone), later pushes are dropped.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (err: unknown) => void } | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private abandoned = false;

  push(value: T): void {
    if (this.ended || this.abandoned) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value, done: false });
    } else this.items.push(value);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = { error };
    this.wake();
  }

  /** Whether the consumer stopped reading. */
  get closed(): boolean {
    return this.abandoned;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.ended || this.abandoned) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
      },
      return: () => {
        this.abandoned = true;
        this.items.length = 0;
        this.wake();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private wake(): void {
    const w = this.waiter;
    if (!w || this.items.length > 0) return;
    this.waiter = undefined;
    if (this.failure && !this.abandoned) w.reject(this.failure.error);
    else w.resolve({ value: undefined, done: true });
  }
}
