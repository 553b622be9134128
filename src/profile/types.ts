import type { StatusMapConfig } from '../domain/index.ts';
import type { ProfileOptions } from './run-options.ts';

/** The profile's `runOptions`: defined in src/profile/run-options.ts with every other run option; a run's input may override each. */
export type RunOptions = ProfileOptions<'runOptions'>;

/** A customer's settings after its `extends` chain is merged. */
export interface CustomerProfile {
  /**
   * The FiberConnect tenant the customer's data goes to when customers share
   * one: runs of customers naming the same tenant take its lock for the
   * switch-off and restore, and owe their restores to it. Absent: the
   * customer's own tenant, named like the customer.
   */
  tenant?: string;
  /** IANA time zone of the legacy DATETIMEs. */
  timeZone: string;
  /** Status spellings added to or changing the defaults of docs/mapping.md, "Statuses". */
  statusMaps: StatusMapConfig;
  rates: {
    /** Requests per second to FiberConnect, for the whole customer. */
    targetRps: number;
    /** Queries per second to the legacy database, for the whole customer. */
    sourceRps: number;
  };
  batchSizes: {
    /** Rows per keyset page. */
    sourceBatchSize: number;
    /** Rows per SQS message. */
    recordsPerMessage: number;
    /** SQS messages per consumer invocation. */
    consumerBatchSize: number;
  };
  concurrency: {
    /** Id ranges of one table read at the same time. */
    producers: number;
    /** SQS FIFO message groups per queue. */
    messageGroups: number;
    /** Maximum concurrency of the consumer's event source. */
    consumers: number;
  };
  runOptions: RunOptions;
}

/** The profile a run uses, and where it came from. */
export interface ResolvedProfile extends CustomerProfile {
  customer: string;
  /** Profile files merged, base first (`default`, a client profile, the customer's own). */
  profiles: string[];
}

/** Reads one profile by name: the parsed JSON, or undefined when there is none. */
export type ProfileLoader = (name: string) => unknown;
