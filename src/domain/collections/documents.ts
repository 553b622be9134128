import { createHash } from 'node:crypto';
import { type DocumentRow, type MappingResult, MAX_DOCUMENT_BYTES, type RecordFailure } from '../index.ts';
import {
  checkParents,
  externalRefOf,
  failed,
  firstInvalidValue,
  invalidValue,
  type MappedRequest,
  type MappingContext,
  type ParentReference,
  request,
  requiredText,
  type TargetCall,
} from '../mapping/index.ts';
import { groupById } from './message-groups.ts';
import { boundsQueryOf, sourceQueryOf } from './source-query.ts';
import type { CollectionDefinition } from './types.ts';

/** Half of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const TARGET: TargetCall = { method: 'PUT', path: '/v1/work-orders/{workOrderId}/documents/{externalRef}' };
const PARENTS: readonly ParentReference[] = [{ field: 'workOrderId', collection: 'work-orders', table: 'assignments', column: 'assignment_id' }];
// The page query reads each document's real length, never its bytes: the page reader (src/pipeline/source-page.ts) reads
// the bytes of the rows that fit its byte budget afterwards, and never those over the target's limit.
const COLUMNS = [
  'id',
  'assignment_id',
  'file_name',
  'mime_type',
  'size_bytes',
  'sha256',
  'NULL AS content',
  'created_at',
  'LENGTH(t.content) AS content_length',
];

/**
 * Maps a `documents` row to `PUT /v1/work-orders/{id}/documents/{externalRef}`:
 * the verified bytes with Content-Type, X-File-Name (percent-encoded UTF-8)
 * and Content-Digest (`sha-256=:<base64>:`).
 */
export function mapDocument(row: DocumentRow, ctx: MappingContext): MappingResult<MappedRequest<Buffer>> {
  const parents = checkParents(row, PARENTS, ctx);
  if (!parents.ok) return failed(parents.failure);

  const externalRef = externalRefOf(ctx.database, 'documents', row.id);
  const workOrderId = parents.ids.workOrderId!;
  const contentType = requiredText(row.mime_type);
  const fileName = requiredText(row.file_name);
  // The size is judged by the document checks below, which give it its own codes.
  const invalid = firstInvalidValue('documents', { externalRef, workOrderId, contentType, fileName, sizeBytes: row.size_bytes }, [], ['sizeBytes']);
  if (invalid) return failed(invalid);
  // X-File-Name is the name percent-encoded as UTF-8: text with a lone surrogate half has no UTF-8 (encodeURIComponent throws).
  if (LONE_SURROGATE.test(fileName))
    return failed(
      invalidValue('fileName', 'fileName is not well-formed Unicode (a lone surrogate half): it cannot be sent as X-File-Name', JSON.stringify(fileName)),
    );

  const checked = checkContent(row);
  if ('code' in checked) return failed(checked);
  return request(TARGET, externalRef, { workOrderId, externalRef }, checked.content, {
    'Content-Type': contentType,
    'X-File-Name': encodeURIComponent(fileName),
    'Content-Digest': `sha-256=:${checked.digest.toString('base64')}:`,
  });
}

/**
 * Check 5 of docs/mapping.md: the size limit from `size_bytes` and from the
 * real length the page query read (either over it is `too_large`, the bytes
 * never read), a document whose bytes could not be read (`too_large`), then
 * emptiness, then length and SHA-256.
 */
function checkContent(row: DocumentRow): RecordFailure | { content: Buffer; digest: Buffer } {
  if (row.size_bytes > MAX_DOCUMENT_BYTES) {
    return {
      code: 'too_large',
      field: 'content',
      value: `size_bytes ${row.size_bytes}`,
      message: `size_bytes ${row.size_bytes} is over the target's limit of ${MAX_DOCUMENT_BYTES} bytes`,
    };
  }
  if (row.content_length !== undefined && row.content_length !== null && Number(row.content_length) > MAX_DOCUMENT_BYTES) {
    return {
      code: 'too_large',
      field: 'content',
      value: `${row.content_length} bytes`,
      message: `the document has ${row.content_length} bytes (size_bytes says ${row.size_bytes}), over the target's limit of ${MAX_DOCUMENT_BYTES} bytes: not read`,
    };
  }
  if (row.content_error) return { code: 'too_large', field: 'content', value: `size_bytes ${row.size_bytes}`, message: `the document ${row.content_error}` };
  const content = row.content;
  if (row.size_bytes === 0 || !content || content.length === 0) {
    return { code: 'invalid_value', field: 'content', value: `size_bytes ${row.size_bytes}`, message: 'the document is empty' };
  }
  if (content.length !== row.size_bytes) {
    return {
      code: 'checksum_mismatch',
      field: 'content',
      value: `${content.length} bytes`,
      message: `the document has ${content.length} bytes, size_bytes says ${row.size_bytes}`,
    };
  }
  const digest = createHash('sha256').update(content).digest();
  if (digest.toString('hex') !== row.sha256.trim().toLowerCase()) {
    return {
      code: 'checksum_mismatch',
      field: 'content',
      value: `sha256 ${row.sha256.trim()}`,
      message: `the document's SHA-256 is ${digest.toString('hex')}, sha256 says ${row.sha256.trim()}`,
    };
  }
  return { content, digest };
}

/** `documents` → `documents` (under the assignment's work order). */
export const documents: CollectionDefinition<'documents'> = {
  collection: 'documents',
  ordered: false,
  table: 'documents',
  schema: 'documents',
  parents: PARENTS,
  sourceQuery: sourceQueryOf('documents', COLUMNS, PARENTS),
  content: { column: 'content', lengthColumn: 'content_length', query: 'SELECT id, content FROM documents WHERE id IN (?)' },
  boundsQuery: boundsQueryOf('documents'),
  target: TARGET,
  recordAt: '/v1/documents/{targetId}',
  externalRef: (database, row) => externalRefOf(database, 'documents', row.id),
  messageGroupId: (row, _database, groups) => groupById(row, groups),
  map: mapDocument,
};
