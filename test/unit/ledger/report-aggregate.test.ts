import { expect } from 'chai';
import { GROUP_SAMPLE_SIZE, GROUP_SUBPROJECTS, THROUGHPUT_INTERVALS } from '../../../src/ledger/constants.ts';
import { ReportAggregate } from '../../../src/ledger/report-aggregate.ts';
import type { ReportFailure } from '../../../src/ledger/report.ts';

const START = Date.parse('2026-12-01T10:00:00Z');
const failure = (database: string, id: number, overrides: Partial<ReportFailure> = {}): ReportFailure => ({
  externalRef: `${database}:addresses:${id}`,
  code: 'invalid_value',
  field: 'address.postcode',
  message: 'bad postcode',
  ...overrides,
});

describe('ReportAggregate: the bounded part of a report', () => {
  it("counts each outcome once per collection and keeps the producers' source figures", () => {
    const aggregate = new ReportAggregate(START, START + 60_000);
    aggregate.setSource('connections', 5, 1);
    aggregate.addMigrated('connections', START + 1_000);
    aggregate.addFailure('connections', 'failed', failure('fp_a', 1), START + 2_000);
    aggregate.addFailure('connections', 'skipped', failure('fp_a', 2, { code: 'completed_project', field: undefined }), START + 3_000);
    expect(aggregate.countsOf('connections')).to.deep.equal({ source: 5, migrated: 1, updated: 0, alreadyMigrated: 1, skipped: 1, failed: 1 });
    expect(aggregate.countsOf('projects')).to.deep.equal({ source: 0, migrated: 0, updated: 0, alreadyMigrated: 0, skipped: 0, failed: 0 });
  });

  it('groups failures by code and field, the most frequent first, with the most affected sub-projects', () => {
    const aggregate = new ReportAggregate(START, START + 60_000);
    for (let i = 0; i < 3; i += 1) aggregate.addFailure('connections', 'failed', failure('fp_a', i), START);
    aggregate.addFailure('connections', 'failed', failure('fp_b', 9), START);
    aggregate.addFailure('connections', 'failed', failure('fp_b', 10, { field: 'address.houseNumber' }), START);
    const groups = aggregate.groupsOf('connections');
    expect(groups.map((g) => [g.code, g.field, g.count])).to.deep.equal([
      ['invalid_value', 'address.postcode', 4],
      ['invalid_value', 'address.houseNumber', 1],
    ]);
    expect(groups[0]!.subprojects).to.deep.equal([
      { database: 'fp_a', count: 3 },
      { database: 'fp_b', count: 1 },
    ]);
  });

  it('keeps at most a fixed sample per cause and a fixed number of sub-projects, however many records fail', () => {
    const aggregate = new ReportAggregate(START, START + 3_600_000);
    for (let i = 0; i < 50_000; i += 1) aggregate.addFailure('connections', 'failed', failure(`fp_${i % 40}`, i), START + i);
    const [group] = aggregate.groupsOf('connections');
    expect(group!.count).to.equal(50_000);
    expect(group!.sample).to.have.length(GROUP_SAMPLE_SIZE);
    expect(group!.sample[0]!.externalRef, 'the first records, in the order they came').to.equal('fp_0:addresses:0');
    expect(group!.subprojects).to.have.length(GROUP_SUBPROJECTS);
  });

  it('spreads outcomes over a fixed number of intervals of whole seconds, clamping times outside the run', () => {
    const aggregate = new ReportAggregate(START, START + 10 * 3_600_000);
    aggregate.addMigrated('projects', START - 5_000);
    aggregate.addMigrated('projects', START + 10 * 3_600_000 + 5_000);
    aggregate.addMigrated('projects', START + 5 * 3_600_000);
    aggregate.addMigrated('projects', Number.NaN);
    const { outcomes, intervalSeconds, from } = aggregate.throughput();
    expect(outcomes.length).to.be.at.most(THROUGHPUT_INTERVALS);
    expect(intervalSeconds).to.equal(300);
    expect(from).to.equal('2026-12-01T10:00:00.000Z');
    expect(outcomes[0]).to.equal(1);
    expect(outcomes[outcomes.length - 1]).to.equal(1);
    expect(
      outcomes.reduce((a, b) => a + b, 0),
      'a record without a time is counted but not charted',
    ).to.equal(3);
  });
});
