import type { Prng } from './prng.ts';

/**
 * Hands out increasing ids with gaps, like a legacy table whose rows were deleted.
 * The skipped ids are kept: an orphan points at one of them, as a reference to a deleted row would.
 */
export class IdAllocator {
  private last: number;
  private readonly gaps: number[] = [];
  private readonly prng: Prng;

  public constructor(prng: Prng) {
    this.prng = prng;
    // Always start after a gap, so that every table has at least one missing id.
    this.last = prng.int(1, 9);
    for (let id = 1; id <= this.last; id++) this.gaps.push(id);
  }

  /** The next id, sometimes a few past the previous one. */
  public next(): number {
    if (this.prng.chance(0.12)) {
      const skip = this.prng.int(1, 6);
      for (let i = 1; i <= skip; i++) this.gaps.push(this.last + i);
      this.last += skip;
    }
    this.last += 1;
    return this.last;
  }

  /** An id that no row of this table has. */
  public missing(): number {
    return this.prng.pick(this.gaps);
  }
}
