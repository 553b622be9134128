import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldIssue, validateBody } from '../../../src/domain/index.ts';
import { DOCUMENT_BODY_LIMIT, MAX_DOCUMENT_BYTES } from '../constants.ts';
import { ApiError, notFound, validationFailed } from '../errors.ts';
import { etagOf, readIfMatch } from '../preconditions.ts';
import type { DocumentUpload } from '../records.ts';
import { send } from './shared.ts';

type DocumentRoute = { Params: { id: string; externalRef: string } };

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `a document may hold at most ${MAX_DOCUMENT_BYTES} bytes`, {
    details: [{ field: 'content', issue: `must be at most ${MAX_DOCUMENT_BYTES} bytes` }],
  });
}

/**
 * The file name of `X-File-Name`: percent-encoded UTF-8 (optionally in the RFC 8187
 * `UTF-8''` form) is decoded; raw UTF-8 octets, which Node reads as latin1, are
 * reassembled; a name that is neither stays as sent.
 */
export function decodeFileName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let name = raw.replace(/^UTF-8''/i, '');
  if (/[^ -~]/.test(name)) {
    const utf8 = Buffer.from(name, 'latin1').toString('utf8');
    if (!utf8.includes('\uFFFD')) name = utf8;
  }
  if (name.includes('%')) {
    try {
      name = decodeURIComponent(name);
    } catch {
      // A literal '%' that is no escape: the name was not encoded.
    }
  }
  return name;
}

/** The SHA-256 of a `Content-Digest` header (`sha-256=:<base64>:`, RFC 9530), or null when it holds none. */
export function parseDigest(header: string | undefined): Buffer | null {
  const match = header === undefined ? null : /(?:^|,)\s*sha-256=:([A-Za-z0-9+/]+={0,2}):/i.exec(header);
  if (!match?.[1]) return null;
  const digest = Buffer.from(match[1], 'base64');
  return digest.length === 32 ? digest : null;
}

/**
 * The bytes and headers of a document PUT, checked: size, Content-Type, X-File-Name and
 * Content-Digest (docs/fiberconnect-api.md, documents).
 * @throws ApiError 413, 422 `validation_failed` naming each bad header, 422 `digest_mismatch`.
 */
function readUpload(request: FastifyRequest<DocumentRoute>, workOrderId: string): DocumentUpload {
  const content = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
  // A chunked body has no Content-Length to check up front.
  if (content.length > MAX_DOCUMENT_BYTES) throw tooLarge();
  if (content.length === 0) throw validationFailed([{ field: 'content', issue: 'must not be empty' }]);
  const headers = request.headers;
  const metadata = {
    externalRef: request.params.externalRef,
    workOrderId,
    contentType: headers['content-type'],
    fileName: decodeFileName(headers['x-file-name'] as string | undefined),
    sizeBytes: content.length,
  };
  const issues: FieldIssue[] = validateBody('documents', metadata);
  const expected = parseDigest(headers['content-digest'] as string | undefined);
  if (!expected) issues.push({ field: 'contentDigest', issue: 'Content-Digest must be sha-256=:<base64 of 32 bytes>:' });
  if (issues.length > 0) throw validationFailed(issues);
  const actual = createHash('sha256').update(content).digest();
  if (!actual.equals(expected!)) {
    throw new ApiError(422, 'digest_mismatch', 'the bytes do not match Content-Digest', {
      details: [{ field: 'content', issue: 'SHA-256 differs from Content-Digest' }],
    });
  }
  return { contentType: metadata.contentType!, fileName: metadata.fileName!, content, sha256: actual.toString('hex') };
}

/**
 * `PUT` and `DELETE` of `<base>/work-orders/{id}/documents/{externalRef}`: raw bytes with
 * Content-Type, X-File-Name and Content-Digest. 201 the first time, 200 for a repeat with
 * the same bytes, 200 with version + 1 for other bytes, 409 `duplicate_external_ref` when
 * the externalRef belongs to another work order; both honour If-Match. `base` is `/v1`
 * for the API, or an admin prefix whose routes act as a person of `customerOf(request)`.
 */
export function registerDocumentRoutes(app: FastifyInstance, base: string, customerOf: (request: FastifyRequest) => string): void {
  const { store, records } = app.standin;
  const path = `${base}/work-orders/:id/documents/:externalRef`;
  app.put<DocumentRoute>(
    path,
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      // Refuse a body announced as too large before reading a byte of it.
      preParsing: (request, _reply, payload, done) => {
        if (Number(request.headers['content-length']) > MAX_DOCUMENT_BYTES) done(tooLarge());
        else done(null, payload);
      },
    },
    (request, reply) => {
      const customer = customerOf(request);
      const workOrderId = request.params.id;
      const ifMatch = readIfMatch(request.headers);
      if (!store.getResource(customer, 'work-orders', workOrderId)) throw notFound('work-orders');
      const upload = readUpload(request, workOrderId);
      const { status, resource } = records.putDocument(customer, workOrderId, request.params.externalRef, upload, ifMatch);
      send(request, reply, status, resource, { etag: etagOf(resource) });
    },
  );

  app.delete<DocumentRoute>(path, (request, reply) => {
    records.removeDocument(customerOf(request), request.params.id, request.params.externalRef, readIfMatch(request.headers));
    send(request, reply, 204, undefined);
  });
}
