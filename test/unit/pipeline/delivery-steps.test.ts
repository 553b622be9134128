import { expect } from 'chai';
import { definitionOf } from '../../../src/domain/collections/index.ts';
import type { CollectionDefinition } from '../../../src/domain/collections/index.ts';
import { fieldHashesOf } from '../../../src/domain/mapping/field-hashes.ts';
import type { MappedRequest } from '../../../src/domain/mapping/types.ts';
import type { LedgerEntry } from '../../../src/ledger/types.ts';
import { countWritten, settle } from '../../../src/pipeline/delivery-outcomes.ts';
import { planCalls, type PlanInputs } from '../../../src/pipeline/delivery-plan.ts';
import type { DeliveryPlan, PlannedCall, QueuedRecord, SendTally } from '../../../src/pipeline/types.ts';
import { anAssignment, aProject } from '../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../helpers/mapping-context.ts';
import { aQueuedRecord, RUN_ID } from '../../helpers/queue-messages.ts';

const projects = definitionOf('projects') as unknown as CollectionDefinition;

/** The inputs of planning: nothing in the ledger unless a test says so. */
function inputs(overrides: Partial<PlanInputs> = {}): PlanInputs {
  return { definition: projects, ctx: aMappingContext(), known: new Map(), wholes: new Map(), contents: [], ...overrides };
}

/** A migrated ledger entry of a record, as the engine last wrote it. */
function migrated(record: QueuedRecord, request: MappedRequest<unknown>, targetVersion?: number): LedgerEntry {
  return {
    customer: 'demo',
    collection: 'projects',
    externalRef: record.externalRef,
    status: 'migrated',
    runId: 'run-0',
    targetId: 'prj_1',
    fieldHashes: fieldHashesOf(request),
    ...(targetVersion !== undefined ? { targetVersion } : {}),
  } as LedgerEntry;
}

const emptyPlan = (): DeliveryPlan => ({ calls: [], outcomes: new Map(), updates: new Map() });

describe('the delivery as named steps', () => {
  describe('planCalls: each record mapped and planned from its ledger entry', () => {
    it('plans a create for a record that maps, and settles one that does not as failed, with its row, without a call', () => {
      const good = aQueuedRecord('projects', aProject({ id: 1 }) as never);
      const bad = aQueuedRecord('projects', aProject({ id: 2, name: '' }) as never);
      const plan = planCalls([good, bad], inputs());
      expect(plan.calls.map((call) => call.record.externalRef)).to.deep.equal([good.externalRef]);
      expect(plan.calls[0]!.update).to.equal(undefined);
      expect(plan.outcomes.get(bad.externalRef)).to.include({ status: 'failed' });
      expect(plan.outcomes.get(bad.externalRef)).to.have.property('payload', bad.row);
    });

    it("plans a delta's update with If-Match of the entry's version when a mapped field changed, and none when only updated_at did", () => {
      const before = aQueuedRecord('projects', aProject({ id: 1 }) as never);
      const request = planCalls([before], inputs()).calls[0]!.request;
      const renamed = { ...aQueuedRecord('projects', aProject({ id: 1, name: 'Glasvezel Zuid' }) as never), update: true as const };
      const touched = { ...aQueuedRecord('projects', aProject({ id: 1, updated_at: '2025-01-01 00:00:00' }) as never), update: true as const };
      const known = new Map([[before.externalRef, migrated(before, request, 4)]]);
      const changed = planCalls([renamed], inputs({ known }));
      expect(changed.calls[0]!.update).to.include({ targetId: 'prj_1', version: 4 });
      expect(changed.calls[0]!.update!.fields).to.deep.equal(['name']);
      expect(changed.calls[0]!.update!.send.headers).to.deep.equal({ 'If-Match': '"4"' });
      const unchanged = planCalls([touched], inputs({ known }));
      expect(unchanged.calls).to.deep.equal([]);
      expect(unchanged.updates.get(touched.externalRef)).to.deep.equal({ status: 'unchanged', migratedChecksum: touched.checksum });
    });

    it("takes a part's If-Match from its whole's entry (a work-order update: its work order's latest version)", () => {
      const definition = definitionOf('work-order-updates') as unknown as CollectionDefinition;
      const record = {
        ...aQueuedRecord('assignments', anAssignment({ id: 5, status: 'done', completed_at: '2024-06-04 10:00:00' }) as never),
        update: true as const,
      };
      const entry = {
        ...migrated(record, { externalRef: record.externalRef, method: 'PATCH', path: '/v1/work-orders/wo_5', headers: {}, body: {} }, 2),
        targetId: 'wo_5',
      };
      const plan = planCalls(
        [record],
        inputs({ definition, known: new Map([[record.externalRef, entry]]), wholes: new Map([[record.externalRef, { ...entry, targetVersion: 7 }]]) }),
      );
      expect(plan.calls[0]!.update?.version).to.equal(7);
    });
  });

  describe("settle: a call's answer into the plan", () => {
    const record = aQueuedRecord('projects', aProject({ id: 1 }) as never);
    const call: PlannedCall = { record, request: planCalls([record], inputs()).calls[0]!.request };

    it('records a migrated answer with the hashes of what was sent, and the row checksum', () => {
      const plan = emptyPlan();
      const tally: SendTally = { transient: 0 };
      expect(settle(call, { status: 'migrated', targetId: 'prj_1', origin: 'created' }, plan, false, tally)).to.equal(true);
      expect(plan.outcomes.get(record.externalRef)).to.deep.equal({
        status: 'migrated',
        targetId: 'prj_1',
        origin: 'created',
        fieldHashes: fieldHashesOf(call.request),
        migratedChecksum: record.checksum,
      });
    });

    it('counts a transient answer and records nothing, but on the last delivery records it transient_exhausted', () => {
      const answer = { status: 'transient', message: '503' } as const;
      const early = emptyPlan();
      const tally: SendTally = { transient: 0 };
      expect(settle(call, answer, early, false, tally)).to.equal(false);
      expect(early.outcomes.size).to.equal(0);
      const last = emptyPlan();
      settle(call, answer, last, true, tally);
      expect(tally.transient).to.equal(2);
      expect(last.outcomes.get(record.externalRef)).to.include({ status: 'failed', code: 'transient_exhausted', message: '503' });
    });

    it('keeps the first refusal of the token and records nothing for the record', () => {
      const plan = emptyPlan();
      const tally: SendTally = { transient: 0 };
      settle(call, { status: 'refused', message: '401 first' }, plan, true, tally);
      settle(call, { status: 'refused', message: '403 second' }, plan, true, tally);
      expect(tally.refused).to.equal('401 first');
      expect(plan.outcomes.size).to.equal(0);
    });
  });

  describe('countWritten: what the ledger took', () => {
    it('counts only the writes the ledger took, and a redriven transient_exhausted of this run as replaced', () => {
      const plan = emptyPlan();
      plan.outcomes.set('a', { status: 'migrated', targetId: 'x' });
      plan.outcomes.set('b', { status: 'failed', code: 'rejected_by_target', message: '422' });
      plan.updates.set('c', { status: 'failed', code: 'completed_project', message: 'completed' });
      const known = new Map([['a', { status: 'failed', code: 'transient_exhausted', runId: RUN_ID } as LedgerEntry]]);
      const { result, replaced } = countWritten(plan, { outcomes: [true, false], updates: [true] }, known, RUN_ID);
      expect(result).to.include({ migrated: 1, failed: 0, skipped: 1 });
      expect(replaced).to.equal(1);
    });
  });
});
