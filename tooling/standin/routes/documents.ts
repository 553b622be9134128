import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { validateBody, type FieldIssue } from '../../../src/domain/validation.ts';
import { DOCUMENT_BODY_LIMIT, MAX_DOCUMENT_BYTES } from '../constants.ts';
import { ApiError, duplicateExternalRef, notFound, validationFailed } from '../errors.ts';
import { createResource, send } from './shared.ts';

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
 * `PUT /v1/work-orders/{id}/documents/{externalRef}`: raw bytes with Content-Type,
 * X-File-Name and Content-Digest. 201 the first time, 200 for a repeat with the same
 * bytes, 409 `duplicate_external_ref` for other bytes or another work order.
 */
export function registerDocumentRoutes(app: FastifyInstance): void {
  const { store } = app.standin;
  app.put<DocumentRoute>(
    '/v1/work-orders/:id/documents/:externalRef',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      // Refuse a body announced as too large before reading a byte of it.
      preParsing: (request, _reply, payload, done) => {
        if (Number(request.headers['content-length']) > MAX_DOCUMENT_BYTES) done(tooLarge());
        else done(null, payload);
      },
    },
    (request, reply) => {
      const customer = request.customer;
      const workOrderId = request.params.id;
      if (!store.getResource(customer, 'work-orders', workOrderId)) throw notFound('work-orders');
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
      const sha256 = actual.toString('hex');
      const answer = store.transaction(() => {
        const existing = store.findByExternalRef(customer, 'documents', metadata.externalRef);
        if (existing) {
          if (existing.workOrderId === workOrderId && existing.sha256 === sha256) return { status: 200, body: existing };
          throw duplicateExternalRef(existing.id);
        }
        const created = createResource(request, 'documents', { ...metadata, sha256 }, { parentId: workOrderId });
        store.putDocumentContent((created.body as { id: string }).id, content);
        return created;
      });
      send(request, reply, answer.status, answer.body);
    },
  );
}
