import { expect } from 'chai';
import { COLLECTION_DEFINITIONS, definitionsInOrder } from '../../../../src/domain/collections/index.ts';
import { COLLECTIONS } from '../../../../src/domain/constants.ts';
import { SCHEMAS } from '../../../../src/domain/validation.ts';

describe('collection registry', () => {
  it('has one definition per collection, named after it, in migration order', () => {
    expect(Object.keys(COLLECTION_DEFINITIONS)).to.have.members([...COLLECTIONS]);
    expect(definitionsInOrder().map((definition) => definition.collection)).to.deep.equal([...COLLECTIONS]);
    for (const definition of definitionsInOrder()) expect(SCHEMAS).to.have.property(definition.schema);
  });

  it('reads every table by keyset pages over an id range, never with OFFSET', () => {
    for (const { sourceQuery } of definitionsInOrder()) {
      expect(sourceQuery).to.not.match(/offset/i);
      expect(sourceQuery).to.match(/WHERE t\.id > \? AND t\.id <= \? ORDER BY t\.id LIMIT \?$/);
    }
  });

  it('selects a parent-exists flag through a LEFT JOIN for every parent column', () => {
    for (const { sourceQuery, parents } of definitionsInOrder()) {
      for (const parent of parents.filter((p) => p.column !== 'id')) {
        expect(sourceQuery).to.contain(`AS ${parent.column}_exists`);
        expect(sourceQuery).to.match(new RegExp(`LEFT JOIN ${parent.table} p\\d ON p\\d\\.id = t\\.${parent.column}`));
      }
    }
  });

  it("never selects a document's content in its page query, only its real length: the page reader reads the bytes that fit its budget", () => {
    const query = COLLECTION_DEFINITIONS.documents.sourceQuery;
    expect(query).to.contain('NULL AS content');
    expect(query).to.contain('LENGTH(t.content) AS content_length');
    expect(query.replace('NULL AS content', '').replace('LENGTH(t.content) AS content_length', '')).to.not.match(/content/);
  });

  it('names the parents of docs/mapping.md with their target fields', () => {
    const parents = Object.fromEntries(definitionsInOrder().map((d) => [d.collection, d.parents.map((p) => `${p.field}:${p.collection}`)]));
    expect(parents).to.deep.equal({
      projects: [],
      contractors: [],
      connections: ['projectId:projects'],
      'work-orders': ['connectionId:connections'],
      'work-order-updates': ['workOrderId:work-orders', 'contractorId:contractors'],
      documents: ['workOrderId:work-orders'],
      'planboard-slots': ['workOrderId:work-orders'],
    });
  });

  it('calls the target paths of docs/fiberconnect-api.md, collections', () => {
    const calls = definitionsInOrder().map((d) => `${d.target.method} ${d.target.path}`);
    expect(calls).to.deep.equal([
      'POST /v1/projects',
      'POST /v1/contractors',
      'POST /v1/connections',
      'POST /v1/work-orders',
      'PATCH /v1/work-orders/{workOrderId}',
      'PUT /v1/work-orders/{workOrderId}/documents/{externalRef}',
      'POST /v1/planboard-slots',
    ]);
  });

  it('builds externalRefs from the database name, the legacy table and the id', () => {
    expect(COLLECTION_DEFINITIONS['planboard-slots'].externalRef('fp_x', { id: 4 } as never)).to.equal('fp_x:planboard_slots:4');
    expect(COLLECTION_DEFINITIONS['work-order-updates'].externalRef('fp_x', { id: 9 } as never)).to.equal('fp_x:assignments:9');
  });
});
