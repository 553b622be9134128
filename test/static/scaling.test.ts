import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import defaultProfile from '../../profiles/default.json' with { type: 'json' };
import { RESUME_QUEUE_BACKLOG } from '../../src/pipeline/back-pressure.ts';
import { runOption, MAX_QUEUE_BACKLOG } from '../../src/profile/run-options.ts';
import { LOCAL_QUEUE_BACKLOG } from '../../tooling/local/constants.ts';
import { engineSources } from '../../tooling/static/scaling.ts';
import { REPO_ROOT } from '../../tooling/static/terraform-model.ts';
import { renderStateMachine } from '../../tooling/statemachines/render.ts';
import { localTemplateVariables } from '../helpers/statemachines.ts';

describe('the design changes of docs/scaling.md', () => {
  const sources = engineSources();

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
      expect(defining).to.deep.equal(['src/profile/run-options.ts']);
      expect(
        Object.entries(sources)
          .filter(([, text]) => /\b100_?000\b/.test(text))
          .map(([file]) => file),
        'no second spelling of the number',
      ).to.deep.equal(['src/profile/run-options.ts']);
      expect(sources['src/pipeline/back-pressure.ts']).to.match(/mayHold[\s\S]*MAX_QUEUE_BACKLOG/);
      expect(sources['src/pipeline/producer.ts']).to.match(/import \{ holdBack, mayHold \} from '\.\/back-pressure\.ts'/);
      expect(sources['functions/producer/index.ts']).to.match(/queueDepth: \(collection\) => queueDepth\(/);
    });

    it('holds producers on the embedded runtime from LOCAL_QUEUE_BACKLOG messages, far below the AWS default, unless QUEUE_BACKLOG is given', () => {
      expect(LOCAL_QUEUE_BACKLOG).to.be.below(MAX_QUEUE_BACKLOG / 10);
      expect(readFileSync(join(REPO_ROOT, 'tooling/cli/migrate.ts'), 'utf8')).to.match(
        /overrides: \{ queueBacklog: LOCAL_QUEUE_BACKLOG, \.\.\.options\.overrides \}/,
      );
      expect(runOption('queueBacklog')).to.deep.include({ variable: 'QUEUE_BACKLOG', range: [10, MAX_QUEUE_BACKLOG], default: MAX_QUEUE_BACKLOG });
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
