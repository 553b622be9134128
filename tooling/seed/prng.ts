/**
 * A seeded pseudo-random generator (mulberry32). Written here rather than taken from
 * npm: it is ten lines, the seed needs reproducibility rather than statistical quality,
 * and a package would add a dependency to keep up to date for no gain.
 */
export class Prng {
  private state: number;

  /** `seed` and `stream` are mixed, so that each sub-project gets its own independent sequence. */
  public constructor(seed: number, stream = '') {
    // FNV-1a over the text of both, so that nearby seeds start far apart.
    let hash = 0x811c9dc5;
    for (const char of `${seed}:${stream}`) {
      hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
    }
    this.state = hash >>> 0;
  }

  /** A float in [0, 1). */
  public next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability. */
  public chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One element of a non-empty list. */
  public pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Fills a buffer with pseudo-random bytes. */
  public fill(buffer: Buffer): Buffer {
    for (let i = 0; i < buffer.length; i += 4) {
      const word = Math.floor(this.next() * 4294967296);
      for (let j = 0; j < 4 && i + j < buffer.length; j++) buffer[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return buffer;
  }
}
