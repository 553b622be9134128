import { type Collection, COLLECTIONS } from '../domain/index.ts';
import { BASE_STYLE, html, type Html, joinHtml, number, raw } from '../report/index.ts';
import type { CollectionCounts, FailureGroup, RunSummary, Throughput } from './report.ts';

const STYLE = [BASE_STYLE, 'ul{margin:0;padding-left:1rem}', '.dry{background:#fff3cd;border:2px solid #b8860b;padding:.6rem 1rem;font-weight:bold}'].join('');

/** Outcome kinds of the bar chart, with their colours. */
const OUTCOMES = [
  { key: 'migrated', label: 'migrated', colour: '#2e7d32' },
  { key: 'updated', label: 'updated', colour: '#1565c0' },
  { key: 'alreadyMigrated', label: 'already migrated', colour: '#81c784' },
  { key: 'skipped', label: 'skipped', colour: '#f9a825' },
  { key: 'failed', label: 'failed', colour: '#c62828' },
] as const satisfies readonly { key: keyof CollectionCounts; label: string; colour: string }[];

/**
 * Outcomes per collection as horizontal stacked bars (inline SVG: the page
 * opens offline, and a hand-drawn chart of two shapes needs no library).
 */
function outcomesChart(entities: RunSummary['entities']): Html {
  const width = 760;
  const label = 150;
  const rowHeight = 26;
  const most = Math.max(1, ...COLLECTIONS.map((c) => entities[c].source));
  const rows = COLLECTIONS.map((collection, index) => {
    const e = entities[collection];
    let x = label;
    const y = 10 + index * rowHeight;
    const bars = OUTCOMES.map(({ key, label: name, colour }) => {
      const w = (e[key] / most) * (width - label - 10);
      const bar =
        w > 0
          ? html`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="18" fill="${colour}"><title>${collection}: ${number(e[key])} ${name}</title></rect>`
          : '';
      x += w;
      return bar;
    });
    return html`<text x="0" y="${y + 14}">${collection}</text>${bars}`;
  });
  const legend = OUTCOMES.map(
    ({ label: name, colour }, i) =>
      html`<rect x="${label + i * 120}" y="${12 + COLLECTIONS.length * rowHeight}" width="12" height="12" fill="${colour}"/><text x="${label + i * 120 + 16}" y="${23 + COLLECTIONS.length * rowHeight}">${name}</text>`,
  );
  return html`<svg id="outcomes-chart" role="img" aria-label="outcomes per collection" width="${width}" height="${40 + COLLECTIONS.length * rowHeight}" font-size="12">${joinHtml(rows, '\n')}\n${legend}</svg>`;
}

/** Outcomes written per interval over the run, as columns. */
function throughputChart(throughput: Throughput): Html {
  const width = 640;
  const height = 160;
  const values = throughput.outcomes;
  const most = Math.max(1, ...values);
  const column = (width - 50) / Math.max(1, values.length);
  const perSecond = (count: number): string => (count / throughput.intervalSeconds).toFixed(1);
  const columns = values.map((count, i) => {
    const h = (count / most) * (height - 30);
    return html`<rect x="${(50 + i * column).toFixed(1)}" y="${(height - 20 - h).toFixed(1)}" width="${Math.max(0.5, column - 0.5).toFixed(1)}" height="${h.toFixed(1)}" fill="#1565c0"><title>${perSecond(count)} records/s</title></rect>`;
  });
  const axes = html`<text x="0" y="12">${perSecond(most)}/s</text><text x="0" y="${height - 22}">0</text><line x1="50" y1="${height - 20}" x2="${width}" y2="${height - 20}" stroke="#999"/>`;
  const ends = html`<text x="50" y="${height - 5}">start</text><text x="${width - 30}" y="${height - 5}">end</text>`;
  return html`<svg id="throughput-chart" role="img" aria-label="records per second over the run" width="${width}" height="${height}" font-size="11">${axes}${columns}${ends}</svg>`;
}

function groupRows(collection: Collection, groups: readonly FailureGroup[]): Html[] {
  return groups.map((group) => {
    const where = joinHtml(
      group.subprojects.map((s) => html`${s.database} (${number(s.count)})`),
      ', ',
    );
    const sample = group.sample.map(
      (f) => html`<li><code>${f.externalRef}</code>${f.value !== undefined ? html` value <code>${f.value}</code>` : ''}: ${f.message}</li>`,
    );
    return html`<tr><td>${collection}</td><td>${group.code}</td><td>${group.field ?? ''}</td><td class="n">${number(group.count)}</td><td>${where}</td><td><ul>${sample}</ul></td></tr>`;
  });
}

/** The title, the run's status and error, and whether the target was restored. */
function head(report: RunSummary): Html {
  const restored = (ok: boolean): Html => (ok ? html`restored` : html`<span class="bad">NOT restored</span>`);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Migration report ${report.customer} ${report.runId}</title>
<style>${raw(STYLE)}</style>
</head><body>
<h1>${report.dryRun ? 'Dry run' : 'Migration'} report: ${report.customer}</h1>
${report.dryRun ? html`<p id="dry-run" class="dry">DRY RUN: nothing was sent to FiberConnect and the ledger is unchanged; "migrated" means would be migrated.</p>` : ''}
<p>Run <code>${report.runId}</code>, <strong id="run-status">${report.status}</strong>, from ${report.startedAt} to ${report.finishedAt} (${(report.durationMs / 1000).toFixed(1)} s).</p>
${report.error ? html`<p class="bad">${report.error}</p>` : ''}
${report.dryRun ? html`<p>Target workflows and e-mail setting untouched (dry run).</p>` : html`<p>Target workflows ${restored(report.target.workflowsRestored)}; e-mail setting ${restored(report.target.emailRestored)}.</p>`}
`;
}

/** The totals per collection and the charts of outcomes and throughput. */
function totals(report: RunSummary): Html {
  const rows = COLLECTIONS.map((collection) => {
    const e = report.entities[collection];
    return html`<tr><th>${collection}</th><td class="n">${number(e.source)}</td><td class="n">${number(e.migrated)}</td><td class="n">${number(e.updated)}</td><td class="n">${number(e.alreadyMigrated)}</td><td class="n">${number(e.skipped)}</td><td class="n ${e.failed ? 'bad' : ''}">${number(e.failed)}</td><td class="n">${number(e.deletedInSource.count)}</td></tr>`;
  });
  return html`<h2>Totals</h2>
<table id="totals"><tr><th>collection</th><th>source</th><th>migrated</th><th>updated</th><th>already migrated</th><th>skipped</th><th>failed</th><th>deleted in source</th></tr>
${joinHtml(rows, '\n')}
</table>
${outcomesChart(report.entities)}
<h2>Throughput</h2>
<p>Records with an outcome per second, in intervals of ${report.throughput.intervalSeconds} s.</p>
${throughputChart(report.throughput)}
`;
}

/** The failed and skipped records by cause, and the links to the fix lists. */
function causes(report: RunSummary): Html {
  const fixLists = report.fixLists.map((f) => html`<li><a href="${f.file}">${f.database}</a>: ${number(f.records)} records</li>`);
  const groups = COLLECTIONS.flatMap((collection) => groupRows(collection, report.entities[collection].groups));
  return html`<h2>Failed and skipped records by cause</h2>
<p>Every record is in the fix lists (CSV, one per sub-project): ${fixLists.length > 0 ? html`</p><ul id="fix-lists">${fixLists}</ul>` : html`none.</p>`}
<table id="causes"><tr><th>collection</th><th>code</th><th>field</th><th>records</th><th>sub-projects most affected</th><th>first records</th></tr>
${groups.length > 0 ? joinHtml(groups, '\n') : html`<tr><td colspan="6">none</td></tr>`}
</table>
`;
}

/** The records gone from FiberPlan, the first few per collection. */
function goneFromSource(report: RunSummary): Html {
  const gone = COLLECTIONS.flatMap((collection) =>
    report.entities[collection].deletedInSource.records.map(
      (r) =>
        html`<tr><td>${collection}</td><td><code>${r.externalRef}</code></td><td><code>${r.targetId}</code></td><td>${r.deleted ? 'deleted' : html`left in FiberConnect${r.reason ? html` (${r.reason})` : ''}`}</td></tr>`,
    ),
  );
  return html`<h2>Gone from FiberPlan</h2>
<p>Records migrated earlier whose source row no longer exists (deletedInSource; the first few per collection, every one in report.json). They stay in FiberConnect unless the run had DELETE_MISSING=1.</p>
<table id="deleted-in-source"><tr><th>collection</th><th>externalRef</th><th>target id</th><th>in FiberConnect</th></tr>
${gone.length > 0 ? joinHtml(gone, '\n') : html`<tr><td colspan="4">none</td></tr>`}
</table>
`;
}

/**
 * The readable report.html beside report.json, in the pieces it is written
 * in: totals and a chart per collection, throughput over the run, and the
 * failed and skipped records grouped by cause with a bounded sample each.
 * Its size depends on the number of causes, not of records: every record is
 * in the fix lists.
 */
export function* reportPage(report: RunSummary): Generator<Html> {
  yield head(report);
  yield totals(report);
  yield causes(report);
  yield goneFromSource(report);
  yield html`<h2>Options</h2>
<pre>${JSON.stringify(report.options, null, 2)}</pre>
</body></html>
`;
}
