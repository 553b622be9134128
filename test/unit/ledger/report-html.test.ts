import { expect } from 'chai';
import { reportPage } from '../../../src/ledger/report-html.ts';
import type { RunSummary } from '../../../src/ledger/report.ts';
import { syntheticSummary } from '../../helpers/report-records.ts';

/** Markup a hostile value could try to put on the page. */
const SCRIPT = '<script>alert(1)</script>';
const BREAKOUT = '"><img src=x onerror=alert(2)>';

describe('report.html with hostile values (src/ledger/report-html.ts)', () => {
  it('escapes every value from either system or the ledger: legacy values, target messages, sub-project names, the error and the options are text, never markup', () => {
    const summary: RunSummary = syntheticSummary(700, 0.2, 2);
    const group = summary.entities.connections.groups[0]!;
    group.field = BREAKOUT;
    group.subprojects[0]!.database = SCRIPT;
    group.sample[0] = { externalRef: `fp_x:addresses:1${SCRIPT}`, code: group.code, message: `409 ${BREAKOUT}`, value: '<svg onload=alert(3)>' };
    summary.entities.projects.deletedInSource = {
      count: 1,
      deleted: 0,
      records: [{ externalRef: 'fp_x:projects:9', targetId: BREAKOUT, deleted: false, reason: SCRIPT }],
    };
    summary.error = `TargetError: ${SCRIPT}`;
    summary.options = { note: BREAKOUT };
    summary.customer = '<b>acme</b>';
    const html = [...reportPage(summary)].join('');
    expect(html).to.not.match(/<script|<img|<svg onload|<b>acme/);
    expect(html)
      .to.include('&lt;script&gt;alert(1)&lt;/script&gt;')
      .and.include('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;')
      .and.include('&lt;svg onload=alert(3)&gt;');
  });
});
