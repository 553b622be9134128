import { expect } from 'chai';
import { changedFields, fieldHashesOf, mergePatchOf } from '../../../../src/domain/mapping/field-hashes.ts';
import type { MappedRequest } from '../../../../src/domain/mapping/types.ts';

function connection(body: Record<string, unknown>): MappedRequest<Record<string, unknown>> {
  return { externalRef: 'fp_x:addresses:1', method: 'POST', path: '/v1/connections', headers: {}, body: { externalRef: 'fp_x:addresses:1', ...body } };
}

const sent = connection({
  projectId: 'p-1',
  address: { postcode: '1234AB', houseNumber: 3, houseLetter: 'a', street: 'Dorpsstraat', city: 'Ede' },
  location: { lat: 52, lon: 5 },
  type: 'RESIDENTIAL',
  status: 'NEW',
});

describe('field hashes of what the engine sent', () => {
  it('hashes every leaf by its dotted path and leaves externalRef out', () => {
    const hashes = fieldHashesOf(sent);
    expect(Object.keys(hashes).sort()).to.deep.equal([
      'address.city',
      'address.houseLetter',
      'address.houseNumber',
      'address.postcode',
      'address.street',
      'location.lat',
      'location.lon',
      'projectId',
      'status',
      'type',
    ]);
    expect(hashes['address.street']).to.match(/^[0-9a-f]{16}$/);
  });

  it('finds no change and an empty patch when the new body maps to the same values', () => {
    expect(changedFields(fieldHashesOf(sent), connection({ ...sent.body }))).to.deep.equal([]);
    expect(mergePatchOf(fieldHashesOf(sent), connection({ ...sent.body }))).to.deep.equal({});
  });

  it('patches exactly the changed leaf of a nested object, not the whole object', () => {
    const changed = connection({ ...sent.body, address: { ...(sent.body.address as object), street: 'Kerkstraat' } });
    expect(mergePatchOf(fieldHashesOf(sent), changed)).to.deep.equal({ address: { street: 'Kerkstraat' } });
  });

  it('removes a leaf the new body no longer has with null, and a whole object when nothing of it is left', () => {
    const { location: _location, ...rest } = sent.body;
    const changed = connection({ ...rest, address: { postcode: '1234AB', houseNumber: 3, street: 'Dorpsstraat', city: 'Ede' } });
    expect(mergePatchOf(fieldHashesOf(sent), changed)).to.deep.equal({ address: { houseLetter: null }, location: null });
  });

  it('carries a new parent id when a child moves to another parent', () => {
    expect(mergePatchOf(fieldHashesOf(sent), connection({ ...sent.body, projectId: 'p-2' }))).to.deep.equal({ projectId: 'p-2' });
  });

  it("tells a document's new bytes from its old ones by digest, without keeping the bytes", () => {
    const document = (bytes: string): MappedRequest<Buffer> => ({
      externalRef: 'fp_x:documents:1',
      method: 'PUT',
      path: '/v1/work-orders/w/documents/d',
      headers: { 'Content-Type': 'application/pdf', 'X-File-Name': 'a.pdf' },
      body: Buffer.from(bytes),
    });
    const hashes = fieldHashesOf(document('one'));
    expect(Object.keys(hashes).sort()).to.deep.equal(['content', 'contentType', 'fileName']);
    expect(changedFields(hashes, document('one'))).to.deep.equal([]);
    expect(changedFields(hashes, document('two'))).to.deep.equal(['content']);
  });
});
