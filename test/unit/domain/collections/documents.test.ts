import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mapDocument } from '../../../../src/domain/collections/documents.ts';
import { aDocument } from '../../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../../helpers/mapping-context.ts';
import { expectFailure, expectRequest } from '../../../helpers/mapping-results.ts';

const BYTES = Buffer.from('%PDF-1.4 schouwrapport', 'utf8');
const DIGEST = createHash('sha256').update(BYTES).digest('base64');

describe('documents mapping', () => {
  it('maps a document to the exact PUT under its work order, externalRef URL-encoded', () => {
    expect(expectRequest(mapDocument(aDocument(), aMappingContext()))).to.deep.equal({
      externalRef: 'fp_demo_north:documents:7',
      method: 'PUT',
      path: '/v1/work-orders/work-orders-100/documents/fp_demo_north%3Adocuments%3A7',
      headers: {
        'Content-Type': 'application/pdf',
        'X-File-Name': 'schouwrapport.pdf',
        'Content-Digest': `sha-256=:${DIGEST}:`,
      },
      body: BYTES,
    });
  });

  it('percent-encodes a file name in UTF-8 for X-File-Name', () => {
    const request = expectRequest(mapDocument(aDocument({ file_name: ' foto façade 📷.jpg ' }), aMappingContext()));
    expect(request.headers['X-File-Name']).to.equal('foto%20fa%C3%A7ade%20%F0%9F%93%B7.jpg');
  });

  it('fails a document over 25 MiB with too_large on content, from size_bytes alone', () => {
    const row = aDocument({ size_bytes: 26_214_401, content: null, sha256: 'a'.repeat(64) });
    expectFailure(mapDocument(row, aMappingContext()), 'too_large', 'content');
  });

  it('fails a document whose real length is over 25 MiB with too_large on content, although size_bytes says less (its bytes were never read)', () => {
    const row = aDocument({ size_bytes: 1000, content: null, content_length: 26_214_401 });
    const failure = expectFailure(mapDocument(row, aMappingContext()), 'too_large', 'content');
    expect(failure.message).to.match(/^the document has 26214401 bytes \(size_bytes says 1000\)/);
  });

  it('fails a document whose bytes could not be read with too_large on content, naming why', () => {
    const row = aDocument({ content: null, content_length: 22, content_error: 'could not be read: Got error 1' });
    const failure = expectFailure(mapDocument(row, aMappingContext()), 'too_large', 'content');
    expect(failure.message).to.equal('the document could not be read: Got error 1');
  });

  it('fails an empty document with invalid_value on content', () => {
    expectFailure(mapDocument(aDocument({ content: Buffer.alloc(0) }), aMappingContext()), 'invalid_value', 'content');
  });

  it('fails a document whose size_bytes is 0 with invalid_value on content', () => {
    expectFailure(mapDocument(aDocument({ size_bytes: 0 }), aMappingContext()), 'invalid_value', 'content');
  });

  it('fails bytes whose length differs from size_bytes with checksum_mismatch on content', () => {
    expectFailure(mapDocument(aDocument({ size_bytes: BYTES.length + 1 }), aMappingContext()), 'checksum_mismatch', 'content');
  });

  it('fails bytes whose SHA-256 differs from sha256 with checksum_mismatch on content', () => {
    expectFailure(mapDocument(aDocument({ sha256: '0'.repeat(64) }), aMappingContext()), 'checksum_mismatch', 'content');
  });

  it('accepts a sha256 column written in upper case', () => {
    const sha256 = createHash('sha256').update(BYTES).digest('hex').toUpperCase();
    expectRequest(mapDocument(aDocument({ sha256 }), aMappingContext()));
  });

  it('fails an empty file name with invalid_value on fileName before judging the bytes', () => {
    expectFailure(mapDocument(aDocument({ file_name: ' ', size_bytes: 0 }), aMappingContext()), 'invalid_value', 'fileName');
  });

  it('fails a document whose assignment does not exist with orphan on workOrderId', () => {
    expectFailure(mapDocument(aDocument({ assignment_id_exists: 0 }), aMappingContext()), 'orphan', 'workOrderId');
  });

  it('fails a document whose work order failed with parent_failed on workOrderId', () => {
    const ctx = aMappingContext({}, { 'work-orders:100': { state: 'failed', code: 'transient_exhausted' } });
    expectFailure(mapDocument(aDocument(), ctx), 'parent_failed', 'workOrderId');
  });
});
