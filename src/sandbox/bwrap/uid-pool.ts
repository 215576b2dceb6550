/** Hands out host uids, one per live environment, so no two environments share an identity. */
export class UidPool {
  private readonly used = new Set<number>();
  private next = 0;

  constructor(
    private readonly base: number,
    private readonly size: number,
  ) {}

  /** A uid no live environment has; throws when all are taken. */
  take(): number {
    for (let i = 0; i < this.size; i++) {
      const uid = this.base + ((this.next + i) % this.size);
      if (!this.used.has(uid)) {
        this.used.add(uid);
        this.next = (uid - this.base + 1) % this.size;
        return uid;
      }
    }
    throw new Error('no free sandbox uid');
  }

  /** Gives `uid` back once its environment's processes are gone. */
  release(uid: number): void {
    this.used.delete(uid);
  }
}
