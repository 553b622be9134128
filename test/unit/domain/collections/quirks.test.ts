import { expect } from 'chai';
import { COLLECTION_DEFINITIONS, partsOf, recordPathOf, sharingRecordWith } from '../../../../src/domain/collections/index.ts';
import { COLLECTIONS } from '../../../../src/domain/constants.ts';

describe('collection quirks as data on the definitions', () => {
  it('puts a migrated record at its create path and target id, a work-order update at its work order, a document at its own URL', () => {
    expect(recordPathOf('projects', { path: '/v1/projects' }, 'prj 1')).to.equal('/v1/projects/prj%201');
    expect(recordPathOf('work-order-updates', { path: '/v1/work-orders/wo_1' }, 'wo_1')).to.equal('/v1/work-orders/wo_1');
    expect(recordPathOf('documents', { path: '/v1/work-orders/wo_1/documents/x' }, 'doc/7')).to.equal('/v1/documents/doc%2F7');
  });

  it('knows a work-order update as part of its work order, both writing one FiberConnect record', () => {
    expect(partsOf('work-orders')).to.deep.equal(['work-order-updates']);
    expect(sharingRecordWith('work-orders')).to.equal('work-order-updates');
    expect(sharingRecordWith('work-order-updates')).to.equal('work-orders');
    expect(sharingRecordWith('connections')).to.equal(undefined);
  });

  it('has no part of a part, and every part comes after its whole in migration order', () => {
    for (const collection of COLLECTIONS) {
      const whole = COLLECTION_DEFINITIONS[collection].partOf;
      if (!whole) continue;
      expect(COLLECTION_DEFINITIONS[whole].partOf, `${whole} is a part itself`).to.equal(undefined);
      expect(COLLECTIONS.indexOf(whole), `${whole} before ${collection}`).to.be.below(COLLECTIONS.indexOf(collection));
    }
  });
});
