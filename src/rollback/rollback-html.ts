import { BASE_STYLE, html, type Html, joinHtml, raw } from '../report/index.ts';
import { MAX_KEPT_IN_HTML, ROLLBACK_ORDER } from './constants.ts';
import type { RollbackSummary } from './types.ts';

/** What each kept reason asks of ops (docs/rollback.md, kept records). */
const REASONS: Readonly<Record<string, string>> = {
  adopted: "was in FiberConnect before the migration: never the engine's to remove",
  target_changed: 'a person changed it in FiberConnect since the migration (412): ask them before deleting it by hand',
  has_children: "a person created records under it (409): its children are not the engine's",
};

/** The title, the run, its error and whether the target was restored. */
function head(report: RollbackSummary): Html {
  const restored = (ok: boolean): Html => (ok ? html`yes` : html`<span class="bad">no</span>`);
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Rollback ${report.customer} ${report.runId}</title><style>${raw(BASE_STYLE)}</style></head><body>
<h1>Rollback of ${report.customer}</h1>
<p>Run <code>${report.runId}</code>${report.previousRunId ? html` after migration run <code>${report.previousRunId}</code>` : ''}: <strong${report.status === 'SUCCEEDED' ? '' : html` class="bad"`}>${report.status}</strong>, ${report.startedAt} to ${report.finishedAt}.</p>
${report.error ? html`<p class="bad">${report.error}</p>` : ''}
<p>Workflows restored: ${restored(report.target.workflowsRestored)}; e-mail restored: ${restored(report.target.emailRestored)}.</p>
`;
}

/** The counts per collection. */
function counts(report: RollbackSummary): Html {
  const rows = ROLLBACK_ORDER.map((collection) => {
    const e = report.entities[collection];
    return html`<tr><td>${collection}</td><td class="n">${e.removed}</td><td class="n">${e.alreadyGone}</td><td class="n">${e.kept}</td><td class="n${e.failed ? ' bad' : ''}">${e.failed}</td></tr>`;
  });
  return html`<table><tr><th>collection</th><th>removed</th><th>already gone</th><th>kept</th><th>failed</th></tr>
${joinHtml(rows, '\n')}
</table>
`;
}

/** The kept records with their reason, at most {@link MAX_KEPT_IN_HTML} per collection, and what each reason asks of ops. */
function kept(report: RollbackSummary): Html {
  const collections = ROLLBACK_ORDER.filter((collection) => report.entities[collection].kept > 0).map((collection) => {
    const { kept: count, keptSample } = report.entities[collection];
    const shown = keptSample.map((k) => html`<tr><td><code>${k.externalRef}</code></td><td><code>${k.targetId}</code></td><td>${k.reason}</td></tr>`);
    const more = count > MAX_KEPT_IN_HTML ? html`<p>${count - MAX_KEPT_IN_HTML} more in rollback.json.</p>` : '';
    return html`<h3>${collection}: ${count} kept</h3><table><tr><th>externalRef</th><th>target id</th><th>reason</th></tr>
${joinHtml(shown, '\n')}</table>${more}`;
  });
  if (collections.length === 0) return html`<p>Nothing kept: every record the engine created is gone.</p>\n`;
  const reasons = Object.entries(REASONS).map(([reason, meaning]) => html`<li><code>${reason}</code>: ${meaning}</li>`);
  return html`<h2>Kept in FiberConnect</h2><ul>${reasons}</ul>${joinHtml(collections, '\n')}\n`;
}

/** The records not removed, at most {@link MAX_KEPT_IN_HTML}: a next rollback tries them again. */
function failures(report: RollbackSummary): Html {
  if (report.failureSample.length === 0) return html`\n`;
  const rows = report.failureSample.map((f) => html`<tr><td>${f.collection}</td><td><code>${f.externalRef}</code></td><td>${f.message}</td></tr>`);
  const more = report.failures > MAX_KEPT_IN_HTML ? html`<p>${report.failures - MAX_KEPT_IN_HTML} more in rollback.json.</p>` : '';
  return html`<h2>Not removed (a next rollback tries again)</h2><table><tr><th>collection</th><th>externalRef</th><th>answer</th></tr>
${joinHtml(rows, '\n')}</table>${more}
`;
}

/**
 * rollback.html, in the pieces it is written in: one page, offline (inline
 * style, no script), the counts per collection and the kept records with
 * their reason, at most {@link MAX_KEPT_IN_HTML} per collection, and as many
 * of the failures (rollback.json lists all).
 */
export function* rollbackPage(report: RollbackSummary): Generator<Html> {
  yield head(report);
  yield counts(report);
  yield kept(report);
  yield failures(report);
  yield html`</body></html>
`;
}
