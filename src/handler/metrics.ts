import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Collection } from '../domain/index.ts';

/** The dimensions a metric can have besides `service` (the handler, which Powertools adds). */
type Dimension = 'customer' | 'collection';

/** How one metric is written. */
interface MetricDefinition {
  unit: (typeof MetricUnit)[keyof typeof MetricUnit];
  /** Its dimensions besides `service`, in the order they are written. Never the run id: one metric per run would be cardinality without end. */
  dimensions: readonly Dimension[];
  /** What it counts, as docs/deploy.md explains it. */
  meaning: string;
}

/**
 * Every metric the engine writes: the one definition of their names. The
 * stage's dashboard (terraform/modules/dashboard) draws them, and
 * test/static/dashboard.test.ts holds the two together; docs/deploy.md
 * ("Watch a first run") names each.
 */
export const ENGINE_METRICS = {
  RecordsMigrated: {
    unit: MetricUnit.Count,
    dimensions: ['customer', 'collection'],
    meaning: 'records created in FiberConnect (or adopted), as the report counts them',
  },
  RecordsUpdated: { unit: MetricUnit.Count, dimensions: ['customer', 'collection'], meaning: 'migrated records whose changed fields a delta sent' },
  RecordsFailed: {
    unit: MetricUnit.Count,
    dimensions: ['customer', 'collection'],
    meaning: 'records that failed, when they failed (a dead-lettered record later migrated by a redrive stays counted)',
  },
  RecordsSkipped: { unit: MetricUnit.Count, dimensions: ['customer', 'collection'], meaning: 'records skipped on purpose (completed projects)' },
  TargetRequests: { unit: MetricUnit.Count, dimensions: ['customer'], meaning: 'requests the consumers sent to FiberConnect, every try counted' },
  TargetThrottled: { unit: MetricUnit.Count, dimensions: ['customer'], meaning: 'of those, the ones FiberConnect answered 429' },
  TargetRateLimit: {
    unit: MetricUnit.CountPerSecond,
    dimensions: ['customer'],
    meaning: "the target rate in force: requests per second the customer's shared limiter allowed",
  },
  SourceRateLimit: { unit: MetricUnit.CountPerSecond, dimensions: ['customer'], meaning: 'the source rate in force: page reads per second on FiberPlan' },
  QueueMessages: {
    unit: MetricUnit.Count,
    dimensions: ['collection'],
    meaning: "messages in the collection's queue (waiting, in flight, delayed) at each drain check",
  },
} as const satisfies Record<string, MetricDefinition>;

/** The name of one of the engine's metrics. */
export type EngineMetricName = keyof typeof ENGINE_METRICS;

/** Records of one customer's collection in one run. */
export interface RecordScope {
  customer: string;
  collection: Collection;
  runId: string;
}

/** Outcomes of records as the live counters add them. */
export interface RecordCounts {
  migrated: number;
  updated: number;
  failed: number;
  skipped: number;
}

/** A namespace for a handler run outside a stack (tests): a stack sets POWERTOOLS_METRICS_NAMESPACE. */
const FALLBACK_NAMESPACE = 'fiberplan-migration';

/** One EMF document: its dimension values and metric values. */
interface Group {
  dimensions: Partial<Record<Dimension, string>>;
  values: Partial<Record<EngineMetricName, number>>;
  runId?: string;
}

/**
 * The engine's metrics of one invocation, summed per customer and collection
 * and written with {@link publish} as CloudWatch EMF lines on stdout
 * (Powertools Metrics): CloudWatch Logs turns them into metrics with no
 * AWS call and no IAM grant; the embedded runtime writes the same lines to
 * `metrics.jsonl` in its data folder. One instance per warm Lambda instance,
 * published at the end of every invocation.
 *
 * @example
 * ```ts
 * const metrics = new EngineMetrics();
 * metrics.countRecords({ customer: 'acme', collection: 'projects', runId }, { migrated: 10, failed: 1 });
 * metrics.countTargetRequest('acme', 429);
 * metrics.publish(); // one EMF line per customer and collection, one per customer
 * ```
 */
export class EngineMetrics {
  readonly #groups = new Map<string, Group>();

  public constructor(private readonly metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || FALLBACK_NAMESPACE })) {}

  /** Adds outcomes of records. A failed count below 0 (a redriven record's earlier failure replaced by its new outcome) adds nothing. */
  public countRecords(scope: RecordScope, counts: Partial<RecordCounts>): void {
    const group = this.#group({ customer: scope.customer, collection: scope.collection }, scope.runId);
    this.#add(group, 'RecordsMigrated', counts.migrated ?? 0);
    this.#add(group, 'RecordsUpdated', counts.updated ?? 0);
    this.#add(group, 'RecordsFailed', Math.max(0, counts.failed ?? 0));
    this.#add(group, 'RecordsSkipped', counts.skipped ?? 0);
  }

  /** Counts one request sent to FiberConnect; `status` is its answer's (undefined: none came). */
  public countTargetRequest(customer: string, status?: number): void {
    const group = this.#group({ customer });
    this.#add(group, 'TargetRequests', 1);
    this.#add(group, 'TargetThrottled', status === 429 ? 1 : 0);
  }

  /** Notes the rate a customer's limiter of one side was given. */
  public notePace(customer: string, side: 'target' | 'source', requestsPerSecond: number): void {
    this.#group({ customer }).values[side === 'target' ? 'TargetRateLimit' : 'SourceRateLimit'] = requestsPerSecond;
  }

  /** Notes how many messages a collection's queue holds. */
  public noteQueueDepth(collection: Collection, messages: number): void {
    this.#group({ collection }).values.QueueMessages = messages;
  }

  /** Writes one EMF line per group counted since the last publish, then starts from zero. */
  public publish(): void {
    for (const group of this.#groups.values()) {
      for (const [name, value] of Object.entries(group.dimensions)) this.metrics.addDimension(name, value);
      for (const [name, value] of Object.entries(group.values)) this.metrics.addMetric(name, ENGINE_METRICS[name as EngineMetricName].unit, value);
      if (group.runId) this.metrics.addMetadata('runId', group.runId);
      this.metrics.publishStoredMetrics();
    }
    this.#groups.clear();
  }

  #group(dimensions: Group['dimensions'], runId?: string): Group {
    const key = JSON.stringify([dimensions, runId]);
    let group = this.#groups.get(key);
    if (!group) {
      group = { dimensions, values: {}, ...(runId ? { runId } : {}) };
      this.#groups.set(key, group);
    }
    return group;
  }

  #add(group: Group, name: EngineMetricName, value: number): void {
    group.values[name] = (group.values[name] ?? 0) + value;
  }
}
