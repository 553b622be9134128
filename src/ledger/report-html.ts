import { COLLECTIONS } from '../domain/constants.ts';
import type { RunReport } from './report.ts';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

/** The readable report.html beside report.json: totals per collection, then every failure with its reason. */
export function renderReportHtml(report: RunReport): string {
  const rows = COLLECTIONS.map((collection) => {
    const e = report.entities[collection];
    return `<tr><th>${collection}</th><td>${e.source}</td><td>${e.migrated}</td><td>${e.alreadyMigrated}</td><td>${e.skipped}</td><td class="${e.failed ? 'bad' : ''}">${e.failed}</td></tr>`;
  }).join('\n');
  const failures = COLLECTIONS.flatMap((collection) =>
    report.entities[collection].failures.map(
      (f) => `<tr><td>${collection}</td><td><code>${escapeHtml(f.externalRef)}</code></td><td>${f.code}</td><td>${escapeHtml(f.field ?? '')}</td><td>${escapeHtml(f.message)}</td></tr>`,
    ),
  ).join('\n');
  const restored = (ok: boolean): string => (ok ? 'restored' : '<span class="bad">NOT restored</span>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Migration report ${escapeHtml(report.customer)} ${escapeHtml(report.runId)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}.bad{color:#b00020;font-weight:bold}code{font-size:.9em}</style>
</head><body>
<h1>Migration report: ${escapeHtml(report.customer)}</h1>
<p>Run <code>${escapeHtml(report.runId)}</code>, ${escapeHtml(report.status)}, from ${escapeHtml(report.startedAt)} to ${escapeHtml(report.finishedAt)} (${(report.durationMs / 1000).toFixed(1)} s).</p>
<p>Target workflows ${restored(report.target.workflowsRestored)}; e-mail setting ${restored(report.target.emailRestored)}.</p>
<h2>Totals</h2>
<table><tr><th>collection</th><th>source</th><th>migrated</th><th>already migrated</th><th>skipped</th><th>failed</th></tr>
${rows}
</table>
<h2>Failed and skipped records</h2>
<table><tr><th>collection</th><th>externalRef</th><th>code</th><th>field</th><th>message</th></tr>
${failures || '<tr><td colspan="5">none</td></tr>'}
</table>
<h2>Options</h2>
<pre>${escapeHtml(JSON.stringify(report.options, null, 2))}</pre>
</body></html>
`;
}
