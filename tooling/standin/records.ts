import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { validateBody } from '../../src/domain/index.ts';
import { ID_PREFIXES, IMMUTABLE_FIELDS, WORK_ORDER_STATE_FIELDS } from './constants.ts';
import { duplicateExternalRef, immutableField, notFound, validationFailed } from './errors.ts';
import { applyMergePatch, isJsonObject } from './merge-patch.ts';
import { assertIfMatch, type IfMatch } from './preconditions.ts';
import { conflict, RULES, type RecordLinks } from './rules.ts';
import type { StandinStore } from './store.ts';
import type { PatchableCollection, Resource, ResourceCollection, StandinConfig } from './types.ts';

/** A new opaque id with a prefix (`prj_3f9c…`). */
function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

/** A document's content and what its PUT headers say about it, already checked. */
export interface DocumentUpload {
  contentType: string;
  fileName: string;
  content: Buffer;
  /** Hex SHA-256 of the content. */
  sha256: string;
}

/**
 * Every change to a customer's records: create, merge patch, replace (documents) and
 * delete, with the rules of docs/fiberconnect-api.md (collections; changes and removal). The API routes and the admin
 * routes (a person working in FiberConnect) both change records through here, so a
 * person's change bumps the version like the API's. Each method is one transaction.
 */
export class Records {
  public constructor(
    private readonly store: StandinStore,
    private readonly config: Pick<StandinConfig, 'jobDelayMs'>,
  ) {}

  /**
   * Creates a record of a POST collection. A work order is OPEN without a contractor;
   * its creation enqueues a planboard-preparation job and triggers every ACTIVE
   * workflow (with an e-mail while the customer's e-mail setting is on). Call it inside
   * a transaction (the API's holds the Idempotency-Key's answer too).
   * @throws ApiError 422 `validation_failed`, 409 `duplicate_external_ref` / `duplicate_address` / `planboard_not_ready`.
   */
  public create(customer: string, collection: PatchableCollection, body: unknown): Resource {
    let fields = body;
    if (collection === 'work-orders') {
      // The create schema refuses status, contractorId and completedAt: a work order starts OPEN.
      const issues = validateBody('work-orders', body);
      if (issues.length > 0) throw validationFailed(issues);
      fields = { ...(body as object), status: 'OPEN', contractorId: null, completedAt: null };
    }
    const rules = RULES[collection];
    if (!isJsonObject(fields)) throw validationFailed(validateBody(collection, fields));
    const issues = rules.issues(this.store, customer, fields);
    if (issues.length > 0) throw validationFailed(issues);
    const externalRef = fields.externalRef as string;
    const holder = this.store.findByExternalRef(customer, collection, externalRef);
    if (holder) throw duplicateExternalRef(holder.id);
    rules.conflicts(this.store, customer, fields, null);
    const resource = this.insert(customer, collection, fields as { externalRef: string }, rules.links(fields));
    if (collection === 'work-orders') this.afterWorkOrderCreated(customer, resource.id);
    return resource;
  }

  /**
   * Applies a JSON merge patch (RFC 7386) to a record. The patched record must pass
   * every rule of its create; a patch that changes nothing keeps the version.
   * @throws ApiError 404, 412 `version_mismatch`, 422 `immutable_field` / `validation_failed`, 409.
   */
  public patch(customer: string, collection: PatchableCollection, id: string, patch: unknown, ifMatch: IfMatch | null): Resource {
    return this.store.transaction(() => {
      const current = this.store.getResource(customer, collection, id);
      if (!current) throw notFound(collection);
      assertIfMatch(ifMatch, current);
      if (!isJsonObject(patch)) throw validationFailed([{ field: '', issue: 'must be an object (a JSON merge patch)' }]);
      const next = applyMergePatch(current, patch) as Record<string, unknown>;
      // A work order's state fields are null when unset, also after a patch removed them.
      if (collection === 'work-orders') for (const name of WORK_ORDER_STATE_FIELDS) next[name] ??= null;
      const changed = IMMUTABLE_FIELDS.filter((name) => !isDeepStrictEqual(next[name], current[name]));
      if (changed.length > 0) throw immutableField(changed);
      const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, version: _version, ...fields } = next;
      const rules = RULES[collection];
      const issues = rules.issues(this.store, customer, fields);
      if (issues.length > 0) throw validationFailed(issues);
      rules.conflicts(this.store, customer, fields, id);
      if (isDeepStrictEqual(next, current)) return current;
      const resource = { ...next, updatedAt: new Date().toISOString(), version: current.version + 1 } as Resource;
      this.store.updateResource(resource, rules.links(fields));
      return resource;
    });
  }

  /**
   * Deletes a record; deleting is not undoable.
   * @throws ApiError 404 (also when deleted before), 412 `version_mismatch`, 409 `has_children`.
   */
  public remove(customer: string, collection: ResourceCollection, id: string, ifMatch: IfMatch | null): void {
    this.store.transaction(() => {
      const current = this.store.getResource(customer, collection, id);
      if (!current) throw notFound(collection);
      assertIfMatch(ifMatch, current);
      if (this.store.hasChildren(current.id)) {
        throw conflict('has_children', `${collection} ${current.id} still has children: delete them first`);
      }
      this.store.deleteResource(current.id);
    });
  }

  /**
   * Stores a document at its URL (work order + externalRef): 201 when new, 200 with
   * the version unchanged for identical bytes, 200 with version + 1 for other bytes
   * (content, type and file name replaced).
   * @throws ApiError 404 for an unknown work order, 409 `duplicate_external_ref` when
   * the externalRef belongs to another work order, 412 `version_mismatch`.
   */
  public putDocument(
    customer: string,
    workOrderId: string,
    externalRef: string,
    upload: DocumentUpload,
    ifMatch: IfMatch | null,
  ): { status: 200 | 201; resource: Resource } {
    return this.store.transaction(() => {
      if (!this.store.getResource(customer, 'work-orders', workOrderId)) throw notFound('work-orders');
      const existing = this.store.findByExternalRef(customer, 'documents', externalRef);
      if (existing && existing.workOrderId !== workOrderId) throw duplicateExternalRef(existing.id);
      assertIfMatch(ifMatch, existing);
      const metadata = {
        contentType: upload.contentType,
        fileName: upload.fileName,
        sizeBytes: upload.content.length,
        sha256: upload.sha256,
      };
      const links = { parentId: workOrderId, contractorId: null, addressKey: null };
      if (!existing) {
        const resource = this.insert(customer, 'documents', { externalRef, workOrderId, ...metadata }, links);
        this.store.putDocumentContent(resource.id, upload.content);
        return { status: 201, resource };
      }
      if (existing.sha256 === upload.sha256) return { status: 200, resource: existing };
      const resource: Resource = { ...existing, ...metadata, updatedAt: new Date().toISOString(), version: existing.version + 1 };
      this.store.updateResource(resource, links);
      this.store.putDocumentContent(resource.id, upload.content);
      return { status: 200, resource };
    });
  }

  /**
   * Deletes the document at its URL.
   * @throws ApiError 404 for an unknown work order or document, 412 `version_mismatch`.
   */
  public removeDocument(customer: string, workOrderId: string, externalRef: string, ifMatch: IfMatch | null): void {
    this.store.transaction(() => {
      if (!this.store.getResource(customer, 'work-orders', workOrderId)) throw notFound('work-orders');
      const existing = this.store.findByExternalRef(customer, 'documents', externalRef);
      if (!existing || existing.workOrderId !== workOrderId) throw notFound('documents');
      assertIfMatch(ifMatch, existing);
      this.store.deleteResource(existing.id);
    });
  }

  /** Stores a new record at version 1. */
  private insert(customer: string, collection: ResourceCollection, fields: Record<string, unknown> & { externalRef: string }, links: RecordLinks): Resource {
    const now = new Date().toISOString();
    const resource: Resource = { id: newId(ID_PREFIXES[collection]), ...fields, createdAt: now, updatedAt: now, version: 1 };
    this.store.insertResource({ customer, collection, resource, ...links });
    return resource;
  }

  private afterWorkOrderCreated(customer: string, workOrderId: string): void {
    const now = Date.now();
    this.store.insertJob(customer, newId('job'), workOrderId, now, now + this.config.jobDelayMs);
    const emailSent = this.store.emailEnabled(customer);
    for (const workflow of this.store.listWorkflows(customer, 'ACTIVE')) {
      this.store.insertTrigger(customer, workflow.id, workOrderId, emailSent, now);
    }
  }
}
