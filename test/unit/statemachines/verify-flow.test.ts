import { expect } from 'chai';
import { StateMachine } from 'aws-local-stepfunctions';
import { renderStateMachine } from '../../../tooling/statemachines/render.ts';
import { localTemplateVariables } from '../../helpers/statemachines.ts';

const PLAN = {
  customer: 'acme',
  runId: 'v1',
  settings: { targetRps: 5, sourceRps: 5, sourceBatchSize: 100 },
  databases: ['fp_a'],
  listings: ['projects', 'contractors'],
  collections: ['projects'],
  subprojects: ['fp_a'],
};

type Input = Record<string, unknown> & { position?: { done: boolean; cursor?: string } };

/** Runs statemachines/verify.json with every Task stubbed; returns the Tasks in the order they ran, with their inputs. */
async function runVerify(failTarget = false): Promise<{ ran: { name: string; input: Input }[]; failed: boolean }> {
  const ran: { name: string; input: Input }[] = [];
  // Every paging step needs two calls: the first stops at a deadline with a cursor, the second ends.
  const page = (input: Input) => (input.position?.cursor ? { done: true } : { done: false, cursor: 'next' });
  const answers: Record<string, (input: Input) => unknown> = {
    Start: () => PLAN,
    TargetPage: (input) => {
      if (failTarget) throw new Error('FiberConnect refused the listing');
      return page(input);
    },
    SourcePage: page,
    LedgerPage: page,
    Report: () => ({ ok: true }),
    ReportFailure: () => ({ ok: false }),
  };
  const handlers = Object.fromEntries(
    Object.entries(answers).map(([name, answer]) => [
      name,
      (input: Input) => {
        ran.push({ name, input });
        return answer(input);
      },
    ]),
  );
  const machine = new StateMachine(renderStateMachine('verify', localTemplateVariables()) as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const failed = await machine
    .run({ customer: 'acme', runId: 'v1', options: {} } as never, { overrides: { taskResourceLocalHandlers: handlers as never } })
    .result.then(
      () => false,
      () => true,
    );
  return { ran, failed };
}

describe('the verification flow (statemachines/verify.json, Tasks stubbed)', () => {
  it("pages every listing, then each scope's source and then its ledger from the first page, each until done, then reports", async () => {
    const { ran, failed } = await runVerify();
    expect(failed).to.equal(false);
    const names = ran.map((task) => task.name);
    expect(names.filter((name) => name === 'TargetPage')).to.have.length(4);
    expect(names.slice(5)).to.deep.equal(['SourcePage', 'SourcePage', 'LedgerPage', 'LedgerPage', 'Report']);
    const ledger = ran.filter((task) => task.name === 'LedgerPage');
    expect(ledger.map((task) => task.input.position)).to.deep.equal([{ done: false }, { done: false, cursor: 'next' }]);
    expect(ledger[0]!.input).to.include({ step: 'ledger', collection: 'projects', database: 'fp_a' });
    expect(ran.filter((task) => task.name === 'TargetPage').map((task) => task.input.collection)).to.have.members([
      'projects',
      'projects',
      'contractors',
      'contractors',
    ]);
    expect(ran.at(-1)!.input).to.include({ step: 'report', status: 'SUCCEEDED' });
  });

  it('still writes verify.json when a step fails, marked FAILED with the error, and then fails', async () => {
    const { ran, failed } = await runVerify(true);
    expect(failed).to.equal(true);
    const report = ran.at(-1)!;
    expect(report.name).to.equal('ReportFailure');
    expect(report.input).to.include({ step: 'report', status: 'FAILED' });
    expect(JSON.stringify(report.input.error)).to.contain('FiberConnect refused the listing');
  });
});
