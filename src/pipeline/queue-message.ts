import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { definitionOf } from '../domain/collections/index.ts';
import { CUSTOMER_KEY_SCHEMA } from '../domain/index.ts';
import { MalformedMessageError } from './errors.ts';
import schema from './queue-message.schema.json' with { type: 'json' };
import type { QueueMessage, RemovalMessage } from './types.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
// The message's customer is a customer key, defined once.
ajv.addSchema(CUSTOMER_KEY_SCHEMA);
const validator = ajv.compile(schema) as ValidateFunction;

/** Issues named in one error line at most: a hostile message can make thousands. */
const MAX_ISSUES = 5;

/** `path issue`, the path as the message's own (`/records/0/row/id must be integer`); undefined for ajv's echoes of another error. */
function describe(error: ErrorObject): string | undefined {
  // `if`/`else` only repeats the branch's own errors; a property name's pattern error repeats its propertyNames error.
  if (error.keyword === 'if' || error.propertyName !== undefined) return undefined;
  const path = error.instancePath || '(message)';
  if (error.keyword === 'propertyNames') return `${path} has a field that is not one: ${JSON.stringify(String(error.params.propertyName))}`;
  if (error.keyword === 'additionalProperties') return `${path}/${String(error.params.additionalProperty)} is not part of a queue message`;
  if (error.keyword === 'required') return `${path} lacks ${String(error.params.missingProperty)}`;
  return `${path} ${error.message ?? error.keyword}`;
}

/** Where a document's bytes wait in the bucket while its record travels (its claim check): one key per customer and record. */
export function documentClaimKey(customer: string, externalRef: string): string {
  return `documents/${customer}/${encodeURIComponent(externalRef)}`;
}

/** What ties a migration message's records to its envelope: the sub-project and table of each externalRef, the row's id, the claim's key. */
function crossIssues(message: QueueMessage): string[] {
  const table = definitionOf(message.collection).table;
  return message.records.flatMap((record, index) => {
    const issues: string[] = [];
    const expected = `${message.database}:${table}:${String(record.row.id)}`;
    if (record.externalRef !== expected) issues.push(`/records/${index}/externalRef is not ${expected} (its sub-project, table and row id)`);
    const claimKey = documentClaimKey(message.customer, record.externalRef);
    if (record.claim && (!definitionOf(message.collection).content || record.claim.key !== claimKey))
      issues.push(`/records/${index}/claim is not the document's own (${claimKey})`);
    return issues;
  });
}

/** What ties a removal message's records to its envelope: the sub-project of each externalRef. */
function removalIssues(message: RemovalMessage): string[] {
  return message.records.flatMap((record, index) =>
    record.externalRef.startsWith(`${message.database}:`) ? [] : [`/records/${index}/externalRef is not of sub-project ${message.database}`],
  );
}

/**
 * Checks a queue message against its one schema (queue-message.schema.json)
 * and what ties its parts together, before anything reads the ledger or
 * calls FiberConnect. Every queue reader calls it: a message that SQS holds
 * may come from anyone who can send to the queue, or from a bug.
 *
 * @throws {@link MalformedMessageError} with the first issues found.
 * @example
 * const message = assertQueueMessage(JSON.parse(record.body));
 * if ('kind' in message) await remover.deliver(message, receiveCount);
 */
export function assertQueueMessage(body: unknown): QueueMessage | RemovalMessage {
  const issues = validator(body) ? [] : (validator.errors ?? []).map(describe).filter((issue): issue is string => issue !== undefined);
  if (issues.length === 0) {
    const message = body as QueueMessage | RemovalMessage;
    issues.push(...('kind' in message ? removalIssues(message) : crossIssues(message)));
  }
  if (issues.length > 0) {
    const shown = [...new Set(issues)].slice(0, MAX_ISSUES);
    throw new MalformedMessageError(
      `malformed queue message, nothing sent: ${shown.join('; ')}${issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : ''}`,
      { issues: shown },
    );
  }
  return body as QueueMessage | RemovalMessage;
}

/**
 * An SQS message body as a queue message: JSON, then {@link assertQueueMessage}.
 * @throws {@link MalformedMessageError} when the body is not JSON or not a queue message.
 */
export function parseQueueBody(text: string): QueueMessage | RemovalMessage {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new MalformedMessageError(`malformed queue message, nothing sent: the body is not JSON (${(error as Error).message})`, { issues: ['not JSON'] });
  }
  return assertQueueMessage(body);
}
