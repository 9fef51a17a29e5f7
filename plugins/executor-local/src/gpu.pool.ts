/** The host's GPUs, each lent to at most one attempt at a time. */
export class GpuPool {
  private readonly holder = new Map<string, string | null>();

  constructor(ids: readonly string[]) {
    for (const id of ids) {
      if (typeof id !== 'string' || id === '') throw new TypeError(`executor "local": gpuIds must be non-empty strings, got ${JSON.stringify(id)}`);
      if (this.holder.has(id)) throw new TypeError(`executor "local": gpuIds lists ${JSON.stringify(id)} twice`);
      this.holder.set(id, null);
    }
  }

  /** Lends `count` free GPUs (the first free ones, in configured order) to `owner`, or explains why not. */
  acquire(owner: string, count: number): { devices: string[] } | { error: string } {
    if (count === 0) return { devices: [] };
    const free = [...this.holder].filter(([, h]) => h === null).map(([id]) => id);
    if (free.length < count) {
      const total = this.holder.size;
      return {
        error:
          total === 0
            ? `needs ${count} GPU(s) but this executor has no GPUs configured (gpuIds)`
            : `needs ${count} GPU(s) but only ${free.length} of the executor's ${total} GPU(s) are free`,
      };
    }
    const devices = free.slice(0, count);
    for (const id of devices) this.holder.set(id, owner);
    return { devices };
  }

  /**
   * Marks `devices` as held by `owner` (an attempt re-attached after a restart keeps the GPUs it
   * was given). Returns the ids that are unknown here or held by another attempt.
   */
  claim(owner: string, devices: readonly string[]): string[] {
    const conflicts: string[] = [];
    for (const id of devices) {
      const holder = this.holder.get(id);
      if (holder === undefined || (holder !== null && holder !== owner)) conflicts.push(id);
      else this.holder.set(id, owner);
    }
    return conflicts;
  }

  release(owner: string): void {
    for (const [id, h] of this.holder) if (h === owner) this.holder.set(id, null);
  }

  /** GPU ids currently lent out. */
  inUse(): string[] {
    return [...this.holder].filter(([, h]) => h !== null).map(([id]) => id);
  }
}
