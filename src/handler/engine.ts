import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Pool } from 'mysql2/promise';
import { Ledger, RunStore } from '../ledger/index.ts';
import { RemovalLedger } from '../rollback/index.ts';
import { type EngineEnvironment, ObjectStore, readEngineEnvironment } from '../pipeline/index.ts';
import type { LegacyRegistry } from '../source/mysql/index.ts';
import type { FiberConnectClient } from '../target/client/index.ts';
import { SharedRateLimiter } from '../target/index.ts';

/**
 * The engine's clients and stores, built once per warm Lambda instance and
 * reused by every invocation (module scope). Endpoints come only from the
 * standard AWS_ENDPOINT_URL_* variables, so AWS, LocalStack and the local
 * runtime run this same code.
 *
 * The legacy database driver (mysql2, about 1 MB bundled) and the target's
 * HTTP client (undici, about 0.8 MB) are imported on first use: the build
 * splits them into chunks of their own, so a function that never reads
 * FiberPlan or calls FiberConnect (drain-check, report, ...) never loads them.
 * Each sits behind a face of its own (target/client, source/mysql,
 * profile/parameter-store) that no other face re-exports: esbuild puts a file
 * in a chunk by every import that reaches it, so one static path from a face
 * would load it at every function's init.
 */
export interface Engine {
  env: EngineEnvironment;
  /** The DynamoDB document client of the tables (the run locks and the verification's store are built on it, by the functions that use them). */
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  ledger: Ledger;
  /** The ledger as a rollback reads and writes it. */
  removals: RemovalLedger;
  runs: RunStore;
  store: ObjectStore;
  limiter(customer: string, purpose: 'source' | 'target', ratePerSecond: number): SharedRateLimiter;
  /** A FiberConnect client whose every request waits for the customer's shared target rate: for the control steps. */
  controlClient(customer: string, targetRps: number): Promise<FiberConnectClient>;
  /** The registry and the pools of the legacy server (its URL is a SecureString). */
  legacy(): Promise<{ registry: LegacyRegistry; pool(database: string): Pool }>;
}

let engine: Engine | undefined;

const loadTargetClient = () => import('../target/client/index.ts');

const loadLegacySource = () => Promise.all([import('../profile/parameter-store/index.ts'), import('../source/mysql/index.ts')]);

/**
 * Starts loading, during the init phase (call at module scope), what a
 * function needs on its first invocation: `target` for one that calls
 * FiberConnect, `legacy` for one that reads FiberPlan. Init is what
 * provisioned concurrency (and the local runtime's warming) runs ahead, so
 * the first step of a run does not wait for it. A failed load fails again,
 * with its error, on first use.
 *
 * @example
 * preload('target', 'legacy'); // at module scope of a function that calls FiberConnect and reads FiberPlan
 */
export function preload(...parts: readonly ('target' | 'legacy')[]): void {
  for (const part of parts) (part === 'target' ? loadTargetClient() : loadLegacySource()).catch(() => undefined);
}

/**
 * The instance's engine, created on first use.
 *
 * @example
 * const engine = getEngine();
 * const { registry, pool } = await engine.legacy();
 * const client = await engine.controlClient('acme', 20); // every request waits for acme's shared target rate
 */
export function getEngine(): Engine {
  if (engine) return engine;
  const env = readEngineEnvironment();
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  // Path-style addressing works on S3, LocalStack and the local emulator alike.
  const s3 = new S3Client({ forcePathStyle: true });
  const store = new ObjectStore(s3, env.bucket);
  const limiters = new Map<string, SharedRateLimiter>();
  let legacy: Promise<{ registry: LegacyRegistry; pool(database: string): Pool }> | undefined;
  engine = {
    env,
    db,
    sqs: new SQSClient({}),
    ledger: new Ledger(db, env.ledgerTable, { payloads: store, dryRunRetentionDays: env.retentionDays }),
    removals: new RemovalLedger(db, env.ledgerTable),
    runs: new RunStore(db, env.runsTable),
    store,
    limiter(customer, purpose, ratePerSecond) {
      const key = `${customer}#${purpose}#${ratePerSecond}`;
      let limiter = limiters.get(key);
      if (!limiter) {
        limiter = new SharedRateLimiter(db, env.rateLimitTable, `${customer}#${purpose}`, ratePerSecond);
        limiters.set(key, limiter);
      }
      return limiter;
    },
    async controlClient(customer, targetRps) {
      const limiter = this.limiter(customer, 'target', targetRps);
      const { targetClientFor } = await loadTargetClient();
      return targetClientFor(customer, { gate: () => limiter.acquire(1), gateKey: `rate:${targetRps}` });
    },
    legacy() {
      legacy ??= loadLegacySource().then(async ([{ getLegacyDbUrl }, { createLegacyPool, parseLegacyDbUrl, LegacyRegistry }]) => {
        const config = parseLegacyDbUrl(await getLegacyDbUrl());
        const registry = new LegacyRegistry(createLegacyPool(config));
        const pools = new Map<string, Pool>();
        return {
          registry,
          pool(database: string) {
            let pool = pools.get(database);
            if (!pool) {
              pool = createLegacyPool(config, { database, connectionLimit: 2 });
              pools.set(database, pool);
            }
            return pool;
          },
        };
      });
      return legacy;
    },
  };
  return engine;
}
