import { AbstractIterator, AbstractKeyIterator, AbstractValueIterator } from 'abstract-level';

/**
 * Lets dynalite close the LevelDB iterators of its Queries and Scans.
 *
 * dynalite 4.0 wraps each iterator in a stream whose destroy() closes it
 * through `iterator.return()`, a method abstract-level 3 iterators do not
 * have (theirs is close()), and reaching the end does not close one either.
 * So every Query stayed open for the life of the process: each open iterator
 * pins the LevelDB version it started on, compaction can then delete no
 * table file, and the store grew on disk and in memory (its tables are
 * memory-mapped) with every write. Measured on a 59,840-record run: 2.3 GB
 * on disk, 1.7 GB of mapped files resident at the peak; the same store was
 * 102 MB once reopened. Giving the iterators the `return` dynalite calls
 * closes each one when its stream ends or is cut short (a Query's Limit).
 * Hand-written because no release of dynalite fixes it (4.0.0 is the latest).
 */
export function closeLevelIteratorsOnReturn(): void {
  for (const iterator of [AbstractIterator, AbstractKeyIterator, AbstractValueIterator]) {
    const prototype = iterator.prototype as unknown as { return?: () => Promise<void>; close(): Promise<void> };
    if (prototype.return) continue;
    Object.defineProperty(prototype, 'return', {
      value: function closeIterator(this: { close(): Promise<void> }): Promise<void> {
        return this.close();
      },
      configurable: true,
      writable: true,
    });
  }
}
