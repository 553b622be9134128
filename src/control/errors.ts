import { MigrationError } from '../domain/index.ts';
import type { LockHolder } from './types.ts';

/**
 * A run could not start: the customer (or the FiberConnect tenant it shares)
 * is held by a run that is still going. Its message is the one line the CLI
 * prints (exit 2); nothing was changed.
 */
export class RunLockedError extends MigrationError<{ customer: string; lock: string; holder?: LockHolder }> {}
