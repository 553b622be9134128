import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { INITIAL_WORKFLOWS, PLANBOARD_JOB_TYPE } from './constants.ts';
import type { RequestLogEntry, Resource, ResourceCollection } from './types.ts';

/** A resource with the columns that index it. */
export interface ResourceRecord {
  customer: string;
  collection: ResourceCollection;
  resource: Resource;
  /** The parent's id (project of a connection, connection of a work order, work order of a document or slot). */
  parentId: string | null;
  /** The contractor a work order is assigned to. */
  contractorId: string | null;
  /** Normalised postcode + number + letter + addition of a connection, unique within its project. */
  addressKey: string | null;
}

/** A planboard-preparation job as the API returns it. */
export interface Job {
  id: string;
  type: string;
  status: 'PENDING' | 'DONE';
  workOrderId: string;
  createdAt: string;
  finishedAt: string | null;
}

/** A workflow of the target system. */
export interface Workflow {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
}

/** A stored answer to a POST with an Idempotency-Key. */
export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: string;
}

/** One run of a workflow, caused by a created work order. */
export interface WorkflowTrigger {
  workflowId: string;
  workOrderId: string;
  emailSent: boolean;
  at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS resources (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  customer TEXT NOT NULL,
  collection TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  external_ref TEXT NOT NULL,
  parent_id TEXT,
  contractor_id TEXT,
  address_key TEXT,
  data TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS resources_external_ref ON resources (customer, collection, external_ref);
CREATE INDEX IF NOT EXISTS resources_page ON resources (customer, collection, seq);
CREATE INDEX IF NOT EXISTS resources_parent ON resources (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS resources_contractor ON resources (contractor_id) WHERE contractor_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS resources_address ON resources (parent_id, address_key) WHERE address_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS document_contents (id TEXT PRIMARY KEY, content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  customer TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (customer, key)
);
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  customer TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  work_order_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  ready_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_customer ON jobs (customer, type, ready_at);
CREATE INDEX IF NOT EXISTS jobs_by_work_order ON jobs (work_order_id);
CREATE TABLE IF NOT EXISTS workflows (
  customer TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (customer, id)
);
CREATE TABLE IF NOT EXISTS notification_settings (customer TEXT PRIMARY KEY, email_enabled INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workflow_triggers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  customer TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  work_order_id TEXT NOT NULL,
  email_sent INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS request_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  customer TEXT,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER,
  idempotency_key TEXT,
  replayed INTEGER NOT NULL,
  fault TEXT,
  duration_ms REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS request_log_ts ON request_log (ts);
`;

const TABLES = ['resources', 'document_contents', 'idempotency_keys', 'jobs', 'workflows', 'notification_settings', 'workflow_triggers', 'request_log'];

type Row = Record<string, SQLInputValue>;

/** A stored resource; one written before resources had versions is at version 1. */
function parseResource(data: unknown): Resource {
  const resource = JSON.parse(data as string) as Resource;
  return { ...resource, version: (resource.version as number | undefined) ?? 1 };
}

/**
 * The stand-in's state in SQLite: one file (WAL) so that it survives a restart like
 * the real system, or `:memory:` for tests. Every statement is prepared once.
 * Methods are synchronous: a route does its checks and writes in one turn of the
 * event loop, so concurrent requests cannot interleave between check and write.
 */
export class StandinStore {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  public constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // WAL, and no fsync at all: the stand-in is the tests' measuring instrument, which stamps each request's arrival on this
    // thread, and an fsync at a WAL checkpoint (NORMAL) held it for as long as a busy disk took, after which the requests that
    // had arrived meanwhile were stamped as one burst. A killed stand-in still loses no commit (the WAL); only an OS crash could.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
  }

  /** The statement for `sql`, prepared on first use. */
  private stmt(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in one transaction: all of its writes, or none. */
  public transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  // ---- resources ----

  /** Stores a new resource. */
  public insertResource(record: ResourceRecord): void {
    this.stmt(
      `INSERT INTO resources (customer, collection, id, external_ref, parent_id, contractor_id, address_key, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.customer,
      record.collection,
      record.resource.id,
      record.resource.externalRef,
      record.parentId,
      record.contractorId,
      record.addressKey,
      JSON.stringify(record.resource),
    );
  }

  /** Replaces a resource's body and the columns that index it. */
  public updateResource(resource: Resource, links: Pick<ResourceRecord, 'parentId' | 'contractorId' | 'addressKey'>): void {
    this.stmt('UPDATE resources SET data = ?, parent_id = ?, contractor_id = ?, address_key = ? WHERE id = ?').run(
      JSON.stringify(resource),
      links.parentId,
      links.contractorId,
      links.addressKey,
      resource.id,
    );
  }

  /** The customer's resource of `collection` with this id. */
  public getResource(customer: string, collection: ResourceCollection, id: string): Resource | undefined {
    const row = this.stmt('SELECT data FROM resources WHERE id = ? AND customer = ? AND collection = ?').get(id, customer, collection);
    return row ? parseResource(row.data) : undefined;
  }

  /** The customer's resource of `collection` holding this externalRef. */
  public findByExternalRef(customer: string, collection: ResourceCollection, externalRef: string): Resource | undefined {
    const row = this.stmt('SELECT data FROM resources WHERE customer = ? AND collection = ? AND external_ref = ?').get(customer, collection, externalRef);
    return row ? parseResource(row.data) : undefined;
  }

  /** The id of the connection of this project with this address key. */
  public findAddress(projectId: string, addressKey: string): string | undefined {
    const row = this.stmt('SELECT id FROM resources WHERE parent_id = ? AND address_key = ?').get(projectId, addressKey);
    return row?.id as string | undefined;
  }

  /** A page of the customer's resources in creation order, after position `afterSeq`. */
  public listResources(customer: string, collection: ResourceCollection, afterSeq: number, limit: number): { seq: number; resource: Resource }[] {
    return this.stmt('SELECT seq, data FROM resources WHERE customer = ? AND collection = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(customer, collection, afterSeq, limit)
      .map((row) => ({ seq: row.seq as number, resource: parseResource(row.data) }));
  }

  /** Whether any resource points at `id` as parent or as assigned contractor. */
  public hasChildren(id: string): boolean {
    return (
      this.stmt('SELECT 1 FROM resources WHERE parent_id = ? LIMIT 1').get(id) !== undefined ||
      this.stmt('SELECT 1 FROM resources WHERE contractor_id = ? LIMIT 1').get(id) !== undefined
    );
  }

  /** Removes a resource with its document bytes and its job. */
  public deleteResource(id: string): void {
    this.stmt('DELETE FROM resources WHERE id = ?').run(id);
    this.stmt('DELETE FROM document_contents WHERE id = ?').run(id);
    this.stmt('DELETE FROM jobs WHERE work_order_id = ?').run(id);
  }

  /** Stores a document's bytes, replacing those it had. */
  public putDocumentContent(id: string, content: Uint8Array): void {
    this.stmt('INSERT INTO document_contents (id, content) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET content = excluded.content').run(id, content);
  }

  /** A document's bytes. */
  public getDocumentContent(id: string): Uint8Array | undefined {
    return this.stmt('SELECT content FROM document_contents WHERE id = ?').get(id)?.content as Uint8Array | undefined;
  }

  // ---- idempotency ----

  /** The answer stored under a customer's Idempotency-Key. */
  public getIdempotency(customer: string, key: string): IdempotencyRecord | undefined {
    const row = this.stmt('SELECT fingerprint, status, body FROM idempotency_keys WHERE customer = ? AND key = ?').get(customer, key);
    return row ? { fingerprint: row.fingerprint as string, status: row.status as number, body: row.body as string } : undefined;
  }

  /** Stores the answer to a POST under its Idempotency-Key. */
  public putIdempotency(customer: string, key: string, record: IdempotencyRecord): void {
    this.stmt('INSERT INTO idempotency_keys (customer, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      customer,
      key,
      record.fingerprint,
      record.status,
      record.body,
      Date.now(),
    );
  }

  // ---- jobs ----

  /** Enqueues a planboard-preparation job that is DONE at `readyAt` (epoch ms). */
  public insertJob(customer: string, id: string, workOrderId: string, createdAt: number, readyAt: number): void {
    this.stmt('INSERT INTO jobs (customer, id, type, work_order_id, created_at, ready_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      customer,
      id,
      PLANBOARD_JOB_TYPE,
      workOrderId,
      createdAt,
      readyAt,
    );
  }

  private static toJob(row: Row, now: number): Job {
    const readyAt = row.ready_at as number;
    const done = readyAt <= now;
    return {
      id: row.id as string,
      type: row.type as string,
      status: done ? 'DONE' : 'PENDING',
      workOrderId: row.work_order_id as string,
      createdAt: new Date(row.created_at as number).toISOString(),
      finishedAt: done ? new Date(readyAt).toISOString() : null,
    };
  }

  /** The job of a work order. */
  public jobOfWorkOrder(workOrderId: string, now: number): Job | undefined {
    const row = this.stmt('SELECT * FROM jobs WHERE work_order_id = ?').get(workOrderId);
    return row ? StandinStore.toJob(row, now) : undefined;
  }

  /** The customer's job with this id. */
  public getJob(customer: string, id: string, now: number): Job | undefined {
    const row = this.stmt('SELECT * FROM jobs WHERE customer = ? AND id = ?').get(customer, id);
    return row ? StandinStore.toJob(row, now) : undefined;
  }

  /**
   * A page of the customer's jobs, filtered by type and status (null: any), and the
   * total that match. A job's status follows from its ready time, so nothing updates it.
   */
  public listJobs(
    customer: string,
    filter: { type: string | null; status: 'PENDING' | 'DONE' | null },
    now: number,
    afterSeq: number,
    limit: number,
  ): { items: { seq: number; job: Job }[]; total: number } {
    const where = ['customer = ?'];
    const params: SQLInputValue[] = [customer];
    if (filter.type !== null) {
      where.push('type = ?');
      params.push(filter.type);
    }
    if (filter.status !== null) {
      where.push(filter.status === 'DONE' ? 'ready_at <= ?' : 'ready_at > ?');
      params.push(now);
    }
    const condition = where.join(' AND ');
    const total = this.stmt(`SELECT COUNT(*) AS n FROM jobs WHERE ${condition}`).get(...params)?.n as number;
    const items = this.stmt(`SELECT * FROM jobs WHERE ${condition} AND seq > ? ORDER BY seq LIMIT ?`)
      .all(...params, afterSeq, limit)
      .map((row) => ({ seq: row.seq as number, job: StandinStore.toJob(row, now) }));
    return { items, total };
  }

  // ---- workflows, notification setting, triggers ----

  /** Gives a customer its initial workflows and e-mail setting, unless it has them already. */
  public seedCustomer(customer: string): void {
    INITIAL_WORKFLOWS.forEach((workflow, position) => {
      this.stmt('INSERT OR IGNORE INTO workflows (customer, id, name, status, position) VALUES (?, ?, ?, ?, ?)').run(
        customer,
        workflow.id,
        workflow.name,
        workflow.status,
        position,
      );
    });
    this.stmt('INSERT OR IGNORE INTO notification_settings (customer, email_enabled) VALUES (?, 1)').run(customer);
  }

  /** The customer's workflows, optionally only those with one status. */
  public listWorkflows(customer: string, status: string | null): Workflow[] {
    const rows =
      status === null
        ? this.stmt('SELECT id, name, status FROM workflows WHERE customer = ? ORDER BY position').all(customer)
        : this.stmt('SELECT id, name, status FROM workflows WHERE customer = ? AND status = ? ORDER BY position').all(customer, status);
    return rows.map((row) => ({ id: row.id as string, name: row.name as string, status: row.status as Workflow['status'] }));
  }

  /** Sets a workflow's status; returns the workflow, or undefined when it does not exist. */
  public setWorkflowStatus(customer: string, id: string, status: Workflow['status']): Workflow | undefined {
    this.stmt('UPDATE workflows SET status = ? WHERE customer = ? AND id = ?').run(status, customer, id);
    return this.listWorkflows(customer, null).find((workflow) => workflow.id === id);
  }

  /** Whether the customer's system sends e-mails. */
  public emailEnabled(customer: string): boolean {
    const row = this.stmt('SELECT email_enabled FROM notification_settings WHERE customer = ?').get(customer);
    return row === undefined ? true : row.email_enabled === 1;
  }

  /** Switches the customer's e-mail sending. */
  public setEmailEnabled(customer: string, enabled: boolean): void {
    this.stmt(
      `INSERT INTO notification_settings (customer, email_enabled) VALUES (?, ?)
       ON CONFLICT (customer) DO UPDATE SET email_enabled = excluded.email_enabled`,
    ).run(customer, enabled ? 1 : 0);
  }

  /** Records that a work order triggered a workflow, and whether that sent an e-mail. */
  public insertTrigger(customer: string, workflowId: string, workOrderId: string, emailSent: boolean, at: number): void {
    this.stmt('INSERT INTO workflow_triggers (customer, workflow_id, work_order_id, email_sent, at) VALUES (?, ?, ?, ?, ?)').run(
      customer,
      workflowId,
      workOrderId,
      emailSent ? 1 : 0,
      at,
    );
  }

  /** The customer's workflow triggers in order. */
  public listTriggers(customer: string): WorkflowTrigger[] {
    return this.stmt('SELECT * FROM workflow_triggers WHERE customer = ? ORDER BY seq')
      .all(customer)
      .map((row) => ({
        workflowId: row.workflow_id as string,
        workOrderId: row.work_order_id as string,
        emailSent: row.email_sent === 1,
        at: new Date(row.at as number).toISOString(),
      }));
  }

  // ---- request log ----

  /** Appends request log entries in one transaction. */
  public insertLogEntries(entries: readonly RequestLogEntry[]): void {
    const insert = this.stmt(
      `INSERT INTO request_log (ts, customer, method, path, status, idempotency_key, replayed, fault, duration_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.transaction(() => {
      for (const e of entries) {
        insert.run(e.ts, e.customer, e.method, e.path, e.status, e.idempotencyKey, e.replayed ? 1 : 0, e.fault, e.durationMs);
      }
    });
  }

  /** Request log entries from `since` (epoch ms, inclusive) on, oldest first. */
  public queryLog(since: number, customer: string | null, limit: number): RequestLogEntry[] {
    const rows =
      customer === null
        ? this.stmt('SELECT * FROM request_log WHERE ts >= ? ORDER BY seq LIMIT ?').all(since, limit)
        : this.stmt('SELECT * FROM request_log WHERE ts >= ? AND customer = ? ORDER BY seq LIMIT ?').all(since, customer, limit);
    return rows.map((row) => ({
      ts: row.ts as number,
      customer: row.customer as string | null,
      method: row.method as string,
      path: row.path as string,
      status: row.status as number | null,
      idempotencyKey: row.idempotency_key as string | null,
      replayed: row.replayed === 1,
      fault: row.fault as string | null,
      durationMs: row.duration_ms as number,
    }));
  }

  // ---- administration ----

  /** Every customer that has state. */
  public customers(): string[] {
    return this.stmt('SELECT customer FROM workflows UNION SELECT customer FROM resources UNION SELECT customer FROM jobs ORDER BY 1')
      .all()
      .map((row) => row.customer as string);
  }

  /** Number of resources per customer and collection. */
  public counts(): { customer: string; collection: ResourceCollection; count: number }[] {
    return this.stmt('SELECT customer, collection, COUNT(*) AS n FROM resources GROUP BY customer, collection')
      .all()
      .map((row) => ({
        customer: row.customer as string,
        collection: row.collection as ResourceCollection,
        count: row.n as number,
      }));
  }

  /** Every resource of a customer, per collection, in creation order. */
  public allResources(customer: string): { collection: ResourceCollection; resource: Resource }[] {
    return this.stmt('SELECT collection, data FROM resources WHERE customer = ? ORDER BY seq')
      .all(customer)
      .map((row) => ({
        collection: row.collection as ResourceCollection,
        resource: parseResource(row.data),
      }));
  }

  /** Number of Idempotency-Keys stored for a customer. */
  public idempotencyKeyCount(customer: string): number {
    return this.stmt('SELECT COUNT(*) AS n FROM idempotency_keys WHERE customer = ?').get(customer)?.n as number;
  }

  /** Wipes all state. */
  public reset(): void {
    this.transaction(() => {
      for (const table of TABLES) this.stmt(`DELETE FROM ${table}`).run();
    });
  }

  /** Closes the database. */
  public close(): void {
    this.db.close();
  }
}
