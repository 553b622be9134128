import { COLLECTIONS } from '../domain/constants.ts';
import { BASE_STYLE, escapeHtml, number } from '../ledger/html.ts';
import { BALANCE_FIGURES, FAILING_LISTS, VERIFY_LISTS } from './constants.ts';
import type { BalanceFigure, VerifyList, VerifySummary } from './types.ts';

const STYLE = [BASE_STYLE, '.ok{color:#2e7d32;font-weight:bold}'].join('');

/** What each list means, as the page explains it next to the list. */
const MEANING: Readonly<Record<(typeof VERIFY_LISTS)[number], string>> = {
  missing: 'the ledger shows it migrated, FiberConnect does not hold it under its target id',
  stray: "FiberConnect holds a record with one of the customer's externalRefs that no migrated ledger entry has",
  changedInTarget: "FiberConnect's version differs from the engine's last write: a person changed it",
  changedInSource: 'the FiberPlan row changed since it was migrated: the next run carries it',
};

/**
 * verify.html: one self-contained page (inline style, no script, opens
 * offline): the verdict, the balance per collection and sub-project, and
 * each list with its count and its first records (verify.json has all).
 */
export function renderVerifyHtml(summary: VerifySummary): string {
  const verdict = summary.ok
    ? '<p class="ok">OK: nothing missing, nothing stray</p>'
    : `<p class="bad">NOT OK: ${summary.status === 'FAILED' ? `the verification did not finish (${escapeHtml(summary.error ?? 'failed')})` : 'records are missing or stray'}</p>`;
  const head = ['collection', ...BALANCE_FIGURES, ...VERIFY_LISTS].map((title) => `<th>${title}</th>`).join('');
  const failing: readonly string[] = FAILING_LISTS;
  const cells = (figures: Record<BalanceFigure, number>, lists: Record<VerifyList, number>): string =>
    [
      ...BALANCE_FIGURES.map((name) => `<td class="n">${number(figures[name])}</td>`),
      ...VERIFY_LISTS.map((list) => `<td class="n${failing.includes(list) && lists[list] > 0 ? ' bad' : ''}">${number(lists[list])}</td>`),
    ].join('');
  const rows: string[] = [];
  for (const collection of COLLECTIONS) {
    const e = summary.entities[collection];
    rows.push(
      `<tr><th>${collection}</th>${cells(e, Object.fromEntries(VERIFY_LISTS.map((list) => [list, e[list].count])) as Record<VerifyList, number>)}</tr>`,
    );
    for (const [database, sub] of Object.entries(e.subprojects)) rows.push(`<tr><td>&nbsp;&nbsp;${escapeHtml(database)}</td>${cells(sub, sub)}</tr>`);
  }
  const lists: string[] = [];
  for (const collection of COLLECTIONS) {
    for (const list of VERIFY_LISTS) {
      const { count, sample } = summary.entities[collection][list];
      if (count === 0) continue;
      const items = sample
        .map((finding) => `<tr><td><code>${escapeHtml(finding.externalRef)}</code></td><td><code>${escapeHtml(finding.targetId)}</code></td></tr>`)
        .join('');
      const more = count > sample.length ? `<p>… and ${number(count - sample.length)} more in verify.json</p>` : '';
      lists.push(
        `<h3 id="${collection}-${list}">${collection}: ${list} (${number(count)})</h3><p>${MEANING[list]}.</p><table><tr><th>externalRef</th><th>targetId</th></tr>${items}</table>${more}`,
      );
    }
  }
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>Verification ${escapeHtml(summary.customer)} ${escapeHtml(summary.runId)}</title><style>${STYLE}</style></head><body>`,
    `<h1>Verification of ${escapeHtml(summary.customer)}</h1>`,
    `<p>run <code>${escapeHtml(summary.runId)}</code>, ${escapeHtml(summary.startedAt)} to ${escapeHtml(summary.finishedAt)}${summary.latestRunId ? `, against the ledger as of migration run <code>${escapeHtml(summary.latestRunId)}</code>` : ''}</p>`,
    verdict,
    '<h2>Balance and lists</h2><p>source = migrated + skipped + failed + notYetRun, per collection and sub-project.</p>',
    `<table><tr>${head}</tr>${rows.join('\n')}</table>`,
    '<h2>Lists</h2>',
    lists.length > 0 ? lists.join('\n') : '<p>All lists are empty.</p>',
    '</body></html>',
    '',
  ].join('\n');
}
