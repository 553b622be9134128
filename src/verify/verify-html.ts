import { COLLECTIONS } from '../domain/index.ts';
import { BASE_STYLE, html, type Html, joinHtml, number, raw } from '../report/index.ts';
import { BALANCE_FIGURES, FAILING_LISTS, VERIFY_LISTS } from './constants.ts';
import type { BalanceFigure, VerifyList, VerifySummary } from './types.ts';

const STYLE = [BASE_STYLE, '.ok{color:#2e7d32;font-weight:bold}'].join('');

/** What each list means, as the page explains it next to the list (the page's own sentences). */
const MEANING: Readonly<Record<(typeof VERIFY_LISTS)[number], Html>> = {
  missing: raw('the ledger shows it migrated, FiberConnect does not hold it under its target id'),
  stray: raw("FiberConnect holds a record with one of the customer's externalRefs that no migrated ledger entry has"),
  changedInTarget: raw("FiberConnect's version differs from the engine's last write: a person changed it"),
  changedInSource: raw('the FiberPlan row changed since it was migrated: the next run carries it'),
};

const FAILING: readonly string[] = FAILING_LISTS;

/** The title, the run and the verdict. */
function head(summary: VerifySummary): Html {
  const verdict = summary.ok
    ? html`<p class="ok">OK: nothing missing, nothing stray</p>`
    : html`<p class="bad">NOT OK: ${summary.status === 'FAILED' ? `the verification did not finish (${summary.error ?? 'failed'})` : 'records are missing or stray'}</p>`;
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Verification ${summary.customer} ${summary.runId}</title><style>${raw(STYLE)}</style></head><body>
<h1>Verification of ${summary.customer}</h1>
<p>run <code>${summary.runId}</code>, ${summary.startedAt} to ${summary.finishedAt}${summary.latestRunId ? html`, against the ledger as of migration run <code>${summary.latestRunId}</code>` : ''}</p>
${verdict}
`;
}

/** A row's figures and list counts; a failing list with records in it is marked. */
function cells(figures: Record<BalanceFigure, number>, lists: Record<VerifyList, number>): Html[] {
  return [
    ...BALANCE_FIGURES.map((name) => html`<td class="n">${number(figures[name])}</td>`),
    ...VERIFY_LISTS.map((list) => html`<td class="n${FAILING.includes(list) && lists[list] > 0 ? ' bad' : ''}">${number(lists[list])}</td>`),
  ];
}

/** The balance and list counts per collection, and under each its sub-projects. */
function balance(summary: VerifySummary): Html {
  const head = ['collection', ...BALANCE_FIGURES, ...VERIFY_LISTS].map((title) => html`<th>${title}</th>`);
  const rows = COLLECTIONS.flatMap((collection) => {
    const e = summary.entities[collection];
    const counts = Object.fromEntries(VERIFY_LISTS.map((list) => [list, e[list].count])) as Record<VerifyList, number>;
    return [
      html`<tr><th>${collection}</th>${cells(e, counts)}</tr>`,
      ...Object.entries(e.subprojects).map(([database, sub]) => html`<tr><td>&nbsp;&nbsp;${database}</td>${cells(sub, sub)}</tr>`),
    ];
  });
  return html`<h2>Balance and lists</h2><p>source = migrated + skipped + failed + notYetRun, per collection and sub-project.</p>
<table><tr>${head}</tr>${joinHtml(rows, '\n')}</table>
`;
}

/** Each list that has records: its count, what it means and its first records. */
function lists(summary: VerifySummary): Html {
  const shown = COLLECTIONS.flatMap((collection) =>
    VERIFY_LISTS.filter((list) => summary.entities[collection][list].count > 0).map((list) => {
      const { count, sample } = summary.entities[collection][list];
      const items = sample.map((finding) => html`<tr><td><code>${finding.externalRef}</code></td><td><code>${finding.targetId}</code></td></tr>`);
      const more = count > sample.length ? html`<p>… and ${number(count - sample.length)} more in verify.json</p>` : '';
      return html`<h3 id="${collection}-${list}">${collection}: ${list} (${number(count)})</h3><p>${MEANING[list]}.</p><table><tr><th>externalRef</th><th>targetId</th></tr>${items}</table>${more}`;
    }),
  );
  return html`<h2>Lists</h2>
${shown.length > 0 ? joinHtml(shown, '\n') : html`<p>All lists are empty.</p>`}
`;
}

/**
 * verify.html, in the pieces it is written in: one self-contained page
 * (inline style, no script, opens offline): the verdict, the balance per
 * collection and sub-project, and each list with its count and its first
 * records (verify.json has all).
 */
export function* verifyPage(summary: VerifySummary): Generator<Html> {
  yield head(summary);
  yield balance(summary);
  yield lists(summary);
  yield html`</body></html>
`;
}
