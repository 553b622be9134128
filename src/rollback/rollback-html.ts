import { BASE_STYLE, escapeHtml } from '../ledger/html.ts';
import { MAX_KEPT_IN_HTML, ROLLBACK_ORDER } from './constants.ts';
import type { RollbackSummary } from './types.ts';

/** What each kept reason asks of ops (docs/rollback.md, kept records). */
const REASONS: Readonly<Record<string, string>> = {
  adopted: "was in FiberConnect before the migration: never the engine's to remove",
  target_changed: 'a person changed it in FiberConnect since the migration (412): ask them before deleting it by hand',
  has_children: "a person created records under it (409): its children are not the engine's",
};

/**
 * rollback.html: one page, offline (inline style, no script), the counts per
 * collection and the kept records with their reason, at most
 * {@link MAX_KEPT_IN_HTML} per collection, and as many of the failures
 * (rollback.json lists all).
 */
export function renderRollbackHtml(report: RollbackSummary): string {
  const rows = ROLLBACK_ORDER.map((collection) => {
    const e = report.entities[collection];
    return `<tr><td>${collection}</td><td class="n">${e.removed}</td><td class="n">${e.alreadyGone}</td><td class="n">${e.kept}</td><td class="n${e.failed ? ' bad' : ''}">${e.failed}</td></tr>`;
  }).join('\n');
  const kept = ROLLBACK_ORDER.filter((collection) => report.entities[collection].kept > 0)
    .map((collection) => {
      const { kept: count, keptSample } = report.entities[collection];
      const shown = keptSample
        .map((k) => `<tr><td><code>${escapeHtml(k.externalRef)}</code></td><td><code>${escapeHtml(k.targetId)}</code></td><td>${k.reason}</td></tr>`)
        .join('\n');
      const more = count > MAX_KEPT_IN_HTML ? `<p>${count - MAX_KEPT_IN_HTML} more in rollback.json.</p>` : '';
      return `<h3>${collection}: ${count} kept</h3><table><tr><th>externalRef</th><th>target id</th><th>reason</th></tr>\n${shown}</table>${more}`;
    })
    .join('\n');
  const failureRows = report.failureSample
    .map((f) => `<tr><td>${f.collection}</td><td><code>${escapeHtml(f.externalRef)}</code></td><td>${escapeHtml(f.message)}</td></tr>`)
    .join('\n');
  const moreFailures = report.failures > MAX_KEPT_IN_HTML ? `<p>${report.failures - MAX_KEPT_IN_HTML} more in rollback.json.</p>` : '';
  const failures = failureRows ? `${failureRows}</table>${moreFailures}` : '';
  const reasons = Object.entries(REASONS)
    .map(([reason, meaning]) => `<li><code>${reason}</code>: ${escapeHtml(meaning)}</li>`)
    .join('');
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>Rollback ${escapeHtml(report.customer)} ${escapeHtml(report.runId)}</title><style>${BASE_STYLE}</style></head><body>`,
    `<h1>Rollback of ${escapeHtml(report.customer)}</h1>`,
    `<p>Run <code>${escapeHtml(report.runId)}</code>${report.previousRunId ? ` after migration run <code>${escapeHtml(report.previousRunId)}</code>` : ''}: <strong${report.status === 'SUCCEEDED' ? '' : ' class="bad"'}>${report.status}</strong>, ${escapeHtml(report.startedAt)} to ${escapeHtml(report.finishedAt)}.</p>`,
    report.error ? `<p class="bad">${escapeHtml(report.error)}</p>` : '',
    `<p>Workflows restored: ${report.target.workflowsRestored ? 'yes' : '<span class="bad">no</span>'}; e-mail restored: ${report.target.emailRestored ? 'yes' : '<span class="bad">no</span>'}.</p>`,
    '<table><tr><th>collection</th><th>removed</th><th>already gone</th><th>kept</th><th>failed</th></tr>',
    rows,
    '</table>',
    kept ? `<h2>Kept in FiberConnect</h2><ul>${reasons}</ul>${kept}` : '<p>Nothing kept: every record the engine created is gone.</p>',
    failures ? `<h2>Not removed (a next rollback tries again)</h2><table><tr><th>collection</th><th>externalRef</th><th>answer</th></tr>\n${failures}` : '',
    '</body></html>',
    '',
  ].join('\n');
}
