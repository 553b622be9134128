import { expect } from 'chai';
import { COLLECTIONS } from '../../../src/domain/constants.ts';
import type { VerifyEntity } from '../../../src/verify/types.ts';
import { rootCauseLine } from '../../../tooling/cli/root-cause.ts';
import { summaryTable } from '../../../tooling/cli/summary.ts';
import { printableLines } from '../../../tooling/cli/terminal-text.ts';
import { verifyLists, type VerifyFile } from '../../../tooling/cli/verify-summary.ts';
import { syntheticSummary } from '../../helpers/report-records.ts';

/** What data from either system could try on the operator's terminal. */
const CLEAR_SCREEN = '\u001b[2J\u001b[H';
const SET_TITLE = '\u001b]0;owned\u0007';
const EIGHT_BIT_CSI = '\u009b31m';
const FORGED_LINE = '\nmissing  projects  all good';
const BIDI_OVERRIDE = '\u202egpj.exe';

/** Any character that acts on a terminal rather than printing (newline aside, which ends the CLI's own lines). */
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const ACTS_ON_TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A verify.json with one missing record whose externalRef and target id are hostile. */
function verifyFile(externalRef: string, targetId: string): VerifyFile {
  const empty = (): VerifyEntity =>
    ({
      source: 0,
      migrated: 0,
      skipped: 0,
      failed: 0,
      notYetRun: 0,
      missing: [],
      stray: [],
      changedInTarget: [],
      changedInSource: [],
    }) as unknown as VerifyEntity;
  const entities = Object.fromEntries(COLLECTIONS.map((collection) => [collection, empty()])) as VerifyFile['entities'];
  entities.projects.missing.push({ externalRef, targetId });
  return {
    customer: 'acme',
    runId: 'v1',
    kind: 'verify',
    startedAt: '',
    finishedAt: '',
    ok: false,
    status: 'FAILED',
    error: `TargetError: ${SET_TITLE}`,
    entities,
  } as unknown as VerifyFile;
}

describe('data printed to the terminal has its control characters and escape sequences replaced', () => {
  it("make verify's list lines: a hostile externalRef or target id stays on its one line and prints as text", () => {
    const lines = verifyLists(verifyFile(`fp_x:projects:1${CLEAR_SCREEN}${FORGED_LINE}`, `prj_1${SET_TITLE}${EIGHT_BIT_CSI}${BIDI_OVERRIDE}`));
    expect(lines).to.have.length(2);
    for (const line of lines) expect(line).to.not.match(ACTS_ON_TERMINAL).and.not.include('\n');
    expect(lines[0]).to.equal(
      'missing  projects            fp_x:projects:1\\x1b[2J\\x1b[H\\x0amissing  projects  all good  prj_1\\x1b]0;owned\\x07\\x9b31m\\u202egpj.exe',
    );
    expect(lines[1]).to.include('TargetError: \\x1b]0;owned\\x07');
  });

  it("the run summary's failures by reason: a field name the target sent is printed as text", () => {
    const summary = syntheticSummary(700, 0.2, 2);
    summary.entities.connections.groups[0]!.field = `address${CLEAR_SCREEN}${FORGED_LINE}`;
    const table = summaryTable(summary);
    expect(table).to.not.match(ACTS_ON_TERMINAL);
    expect(table).to.include('address\\x1b[2J\\x1b[H\\x0amissing  projects  all good');
  });

  it('the root-cause line of a failed run: a message from FiberConnect cannot break it or act on the terminal', () => {
    const line = rootCauseLine({
      error: 'TargetError',
      message: `FiberConnect answered 400: ${SET_TITLE}${FORGED_LINE}`,
      collection: 'projects',
      database: 'fp_x',
    });
    expect(line).to.not.match(ACTS_ON_TERMINAL).and.not.include('\n');
    expect(line).to.equal('projects of fp_x: FiberConnect answered 400: \\x1b]0;owned\\x07\\x0amissing  projects  all good');
  });

  it('an error line of the CLI keeps its own line breaks and escapes the rest', () => {
    expect(printableLines(`refused${CLEAR_SCREEN}\n    at x (y.ts:1:1)`)).to.equal('refused\\x1b[2J\\x1b[H\n    at x (y.ts:1:1)');
  });
});
