/** Payloads up to this many bytes stay in the ledger item (DynamoDB items end at 400 KB). */
export const MAX_INLINE_PAYLOAD_BYTES = 64 * 1024;

/** Name of the ledger's index of entries by run and collection (what the report reads). */
export const RUN_INDEX = 'by-run';

/** Name of the ledger's index of a collection's entries by sub-project and numeric source id (what finds rows gone from FiberPlan). */
export const SOURCE_ID_INDEX = 'by-source-id';

/** Digits of a source id in the `by-source-id` sort key: zero-padded, so ids sort as numbers. */
export const SOURCE_ID_DIGITS = 12;

/** The highest source id the ledger can order: the last id range of a table reaches up to it, so rows deleted above the table's current end are found too. */
export const MAX_SOURCE_ID = 10 ** SOURCE_ID_DIGITS - 1;

/** BatchGetItem takes at most 100 keys, BatchWriteItem 25 items. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

/** BatchGetItem / BatchWriteItem calls of one of the ledger's bulk reads or writes sent at once (a page of 500 records is 20 writes). */
export const BATCH_CONCURRENCY = 4;

/** A batch call's unprocessed part is sent again after this times 2^attempt ms (50 ms, 100 ms, ...), at most MAX_UNPROCESSED_BACKOFF_MS. */
export const UNPROCESSED_BACKOFF_MS = 25;
export const MAX_UNPROCESSED_BACKOFF_MS = 1000;

/** Records shown per cause in report.html (the fix lists have all of them). */
export const GROUP_SAMPLE_SIZE = 5;

/** Sub-projects named per cause in report.html, the most affected first. */
export const GROUP_SUBPROJECTS = 3;

/** Intervals of the throughput chart, whatever the run's length. */
export const THROUGHPUT_INTERVALS = 120;

/** Columns of a sub-project's fix list (CSV), in order. */
export const FIX_LIST_COLUMNS = ['sub_project', 'table', 'legacy_id', 'external_ref', 'collection', 'code', 'field', 'value', 'message'] as const;

/** Partition-key prefix of a dry run's namespace in the ledger: `dry#<runId>#<customer>#<collection>#<database>`. */
export const DRY_RUN_PREFIX = 'dry#';

/** Partition-key suffix of a dry run's identity claims, after its entry partition. */
export const IDENTITY_SUFFIX = '#identity';

/** Prefix of the partitions that hold a rollback's outcomes, one item per record (`rollback#<runId>#<customer>#<collection>#<database>`). */
export const ROLLBACK_PREFIX = 'rollback#';

/** Sort-key suffix of the note, beside a record's rollback outcome, that its DELETE went out without an answer. */
export const UNANSWERED_SUFFIX = '#unanswered';

/** Sort keys of the pointers to a customer's latest real run, latest dry run and latest rollback (run table). */
export const LATEST_KEY = 'latest';
export const LATEST_DRY_KEY = 'latest-dry';
export const LATEST_ROLLBACK_KEY = 'latest-rollback';

/** Sort key of a customer's restore debt (run table, beside its runs and pointers). */
export const RESTORE_DEBT_KEY = 'restore';

/** The counters a migration's consumers ADD to, one per outcome. */
export const CONSUMER_COUNTERS = ['migrated', 'updated', 'unchanged', 'failed', 'skipped'] as const;

/** The removal outcome counters, kept on the same item as a migration's, so a drain wait counts them as progress alike. */
export const REMOVAL_COUNTERS = ['removed', 'alreadyGone', 'kept', 'failed'] as const;

/** Seconds of a day: a dry run's entries expire whole days after their write. */
export const SECONDS_PER_DAY = 86_400;
