import { expect } from 'chai';
import { classifyRemoval, removalRequest } from '../../../src/target/removal.ts';

const answer = (status: number, code?: string) => ({ status, body: code ? { error: { code, message: code.replace(/_/g, ' ') } } : undefined, replayed: false });

describe('removal of a record in FiberConnect', () => {
  it("deletes at /v1/<collection>/<id> with If-Match of the engine's last version, documents included", () => {
    expect(removalRequest('connections', 'con/1', 3)).to.deep.equal({ method: 'DELETE', path: '/v1/connections/con%2F1', headers: { 'If-Match': '"3"' } });
    expect(removalRequest('documents', 'doc_7')).to.deep.equal({ method: 'DELETE', path: '/v1/documents/doc_7' });
  });

  it('counts 204 as removed and 404 as already gone', () => {
    expect(classifyRemoval(answer(204))).to.deep.equal({ status: 'removed' });
    expect(classifyRemoval(answer(404, 'not_found'))).to.deep.equal({ status: 'alreadyGone' });
  });

  it('keeps a record a person changed (412) or put children under (409 has_children), with the reason', () => {
    expect(classifyRemoval(answer(412, 'version_mismatch'))).to.deep.include({ status: 'kept', reason: 'target_changed' });
    expect(classifyRemoval(answer(409, 'has_children'))).to.deep.include({ status: 'kept', reason: 'has_children' });
  });

  it('leaves 429 and 5xx to a retry, takes 401 and 403 for a refused token (the rollback stops), and fails any other refusal with its message', () => {
    expect(classifyRemoval({ ...answer(429, 'rate_limited'), retryAfterSeconds: 2 })).to.deep.include({ status: 'transient', retryAfterSeconds: 2 });
    expect(classifyRemoval(answer(503))).to.deep.include({ status: 'transient' });
    expect(classifyRemoval(answer(403, 'forbidden'))).to.deep.equal({ status: 'refused', message: '403 forbidden: forbidden' });
    expect(classifyRemoval({ status: 401, body: undefined, replayed: false })).to.deep.equal({ status: 'refused', message: '401: HTTP 401' });
    expect(classifyRemoval(answer(400, 'bad_request'))).to.deep.equal({ status: 'failed', message: '400 bad_request: bad request' });
  });
});
