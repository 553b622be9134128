import { REQUEST_LOG_FLUSH_MS, REQUEST_LOG_FLUSH_SIZE } from './constants.ts';
import type { StandinStore } from './store.ts';
import type { RequestLogEntry } from './types.ts';

/**
 * The request log. Entries are buffered in memory and written to SQLite in one
 * transaction per batch (every REQUEST_LOG_FLUSH_MS, or at REQUEST_LOG_FLUSH_SIZE
 * entries): one INSERT transaction per request would double the write load of a
 * create, while a batch costs about as much as a single row. A read flushes first,
 * so `GET /admin/requests` always sees every answered request.
 */
export class RequestLog {
  private buffer: RequestLogEntry[] = [];
  private readonly timer: NodeJS.Timeout;

  public constructor(private readonly store: StandinStore) {
    this.timer = setInterval(() => this.flush(), REQUEST_LOG_FLUSH_MS);
    this.timer.unref();
  }

  /** Records one request. */
  public append(entry: RequestLogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length >= REQUEST_LOG_FLUSH_SIZE) this.flush();
  }

  /** Writes the buffered entries. */
  public flush(): void {
    if (this.buffer.length === 0) return;
    const entries = this.buffer;
    this.buffer = [];
    this.store.insertLogEntries(entries);
  }

  /** Entries from `since` (epoch ms) on, oldest first. */
  public query(since: number, customer: string | null, limit: number): RequestLogEntry[] {
    this.flush();
    return this.store.queryLog(since, customer, limit);
  }

  /** Drops the buffered entries (the table is wiped by the store's reset). */
  public clear(): void {
    this.buffer = [];
  }

  /** Flushes and stops the timer. */
  public close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
