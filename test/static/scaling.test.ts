import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import defaultProfile from '../../profiles/default.json' with { type: 'json' };
import { databaseOf, inExternalRefOrder, ledgerPartition, runPartition } from '../../src/ledger/ledger.ts';
import { MAX_QUEUE_BACKLOG, RESUME_QUEUE_BACKLOG } from '../../src/pipeline/back-pressure.ts';
import { LOCAL_QUEUE_BACKLOG } from '../../tooling/local/constants.ts';
import { engineSources, handBuiltLedgerKeys, LEDGER_KEYS_FILE } from '../../tooling/static/scaling.ts';
import { REPO_ROOT } from '../../tooling/static/terraform-model.ts';
import { renderStateMachine } from '../../tooling/statemachines/render.ts';
import { localTemplateVariables } from '../helpers/statemachines.ts';

describe('the design changes of docs/scaling.md', () => {
  const sources = engineSources();

  describe('the ledger and its by-run index are spread by sub-project', () => {
    it("keys a ledger entry customer#collection#database, a dry run's under dry#<runId>#, and the by-run index runId#collection#database", () => {
      expect(ledgerPartition('acme', 'connections', 'fp_acme_north')).to.equal('acme#connections#fp_acme_north');
      expect(ledgerPartition('acme', 'connections', 'fp_acme_north', 'dry-1')).to.equal('dry#dry-1#acme#connections#fp_acme_north');
      expect(runPartition('run-1', 'connections', 'fp_acme_north')).to.equal('run-1#connections#fp_acme_north');
    });

    it("reads the sub-project off the externalRef, and reads a run's sub-projects in the order of their externalRefs", () => {
      expect(databaseOf('fp_acme_north:addresses:12')).to.equal('fp_acme_north');
      // ':' sorts before '0' and '_': fp_a0's entries come before fp_a's, and fp_a's before fp_a_b's.
      expect(inExternalRefOrder(['fp_a_b', 'fp_a', 'fp_a0', 'fp_a'])).to.deep.equal(['fp_a0', 'fp_a', 'fp_a_b']);
    });

    it(`builds no ledger key by hand: only ${LEDGER_KEYS_FILE} spells the shapes, and the ledger table's files take every pk and runCollection from a partition function`, () => {
      expect(Object.keys(sources)).to.include.members([LEDGER_KEYS_FILE, 'src/ledger/removal-ledger.ts', 'functions/producer/index.ts']);
      expect(handBuiltLedgerKeys(sources)).to.deep.equal([]);
    });

    it('names a key built by hand (the check can fail)', () => {
      expect(
        handBuiltLedgerKeys({
          'src/ledger/report.ts': 'const rc = `${runId}#${collection}`;',
          'src/ledger/removal-ledger.ts': "Key: { pk: `${customer}#${key.collection}#x`, externalRef },\nExpressionAttributeValues: { ':rc': rc },",
        }),
      ).to.deep.equal([
        'src/ledger/report.ts:1: const rc = `${runId}#${collection}`;',
        'src/ledger/removal-ledger.ts:1: Key: { pk: `${customer}#${key.collection}#x`, externalRef },',
        "src/ledger/removal-ledger.ts:2: ExpressionAttributeValues: { ':rc': rc },",
      ]);
    });
  });

  describe('16 message groups', () => {
    it("runs at least 16 message groups by default (500 requests/s needs 16; the Terraform check (k) keeps the consumers' maximum concurrency at least as high)", () => {
      expect(defaultProfile.concurrency.messageGroups).to.be.at.least(16);
    });
  });

  describe('producer back-pressure', () => {
    it('holds producers back from about 100,000 queued messages, under the 120,000 a FIFO queue looks through for message groups, and resumes at half of it', () => {
      expect(MAX_QUEUE_BACKLOG).to.equal(100_000);
      expect(RESUME_QUEUE_BACKLOG).to.be.below(MAX_QUEUE_BACKLOG);
    });

    it('defines the constant once, and the producer uses it: it looks at the queue before each page through holdBack', () => {
      const defining = Object.entries(sources)
        .filter(([, text]) => /MAX_QUEUE_BACKLOG\s*=/.test(text))
        .map(([file]) => file);
      expect(defining).to.deep.equal(['src/pipeline/back-pressure.ts']);
      expect(
        Object.entries(sources)
          .filter(([, text]) => /\b100_?000\b/.test(text))
          .map(([file]) => file),
        'no second spelling of the number',
      ).to.deep.equal(['src/pipeline/back-pressure.ts']);
      expect(sources['src/pipeline/back-pressure.ts']).to.match(/mayHold[\s\S]*MAX_QUEUE_BACKLOG/);
      expect(sources['src/pipeline/producer.ts']).to.match(/import \{ holdBack, mayHold \} from '\.\/back-pressure\.ts'/);
      expect(sources['functions/producer/index.ts']).to.match(/queueDepth: \(collection\) => queueDepth\(/);
    });

    it('holds producers on the embedded runtime from LOCAL_QUEUE_BACKLOG messages, far below the AWS default, unless QUEUE_BACKLOG is given', () => {
      expect(LOCAL_QUEUE_BACKLOG).to.be.below(MAX_QUEUE_BACKLOG / 10);
      expect(readFileSync(join(REPO_ROOT, 'tooling/cli/migrate.ts'), 'utf8')).to.match(
        /overrides: \{ queueBacklog: LOCAL_QUEUE_BACKLOG, \.\.\.options\.overrides \}/,
      );
      expect(readFileSync(join(REPO_ROOT, 'tooling/cli/options.ts'), 'utf8')).to.match(/QUEUE_BACKLOG: 'queueBacklog'/);
      expect(sources['src/pipeline/producer.ts']).to.match(/mayHold\(depth, previous, scope\.options\.queueBacklog\)/);
    });

    it('lets the resource flow honour a hold: a held producer page leads to HoldBack, which waits the seconds the producer chose and calls it again', () => {
      const text = readFileSync(join(REPO_ROOT, 'statemachines/resource.json'), 'utf8');
      const definition = renderStateMachine('resource', localTemplateVariables()) as {
        States: {
          ProduceRanges: {
            ItemProcessor: {
              States: Record<
                string,
                { Type: string; SecondsPath?: string; Next?: string; Choices?: { Variable: string; IsPresent?: boolean; Next: string }[] }
              >;
            };
          };
        };
      };
      expect(text).to.include('HoldBack');
      const states = definition.States.ProduceRanges.ItemProcessor.States;
      expect(states['RangeDone?']!.Choices).to.deep.include({ Variable: '$.page.hold', IsPresent: true, Next: 'HoldBack' });
      expect(states.HoldBack).to.include({ Type: 'Wait', SecondsPath: '$.page.hold.waitSeconds', Next: 'ProducePage' });
    });
  });
});
