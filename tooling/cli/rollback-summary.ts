import type { Collection } from '../../src/domain/index.ts';
import type { RemovalProgress } from '../../src/ledger/index.ts';
import { ROLLBACK_ORDER, type RollbackFigures } from '../../src/rollback/index.ts';
import { printable } from './terminal-text.ts';

/** One progress line of a rollback: per collection begun, what was found and what became of it. */
export function rollbackProgressLine(status: string, progress: Partial<Record<Collection, RemovalProgress>>): string {
  const parts = ROLLBACK_ORDER.filter((collection) => progress[collection]).map((collection) => {
    const p = progress[collection]!;
    return `${collection} ${p.removed + p.alreadyGone + p.kept + p.failed}/${p.source} (removed ${p.removed}, gone ${p.alreadyGone}, kept ${p.kept}, failed ${p.failed})`;
  });
  return `${status}${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

/** The table printed at the end of a rollback: one row per collection, then the kept records by reason. */
export function rollbackSummaryTable(report: RollbackFigures): string {
  const header = ['collection', 'removed', 'gone', 'kept', 'failed'];
  const rows = ROLLBACK_ORDER.map((collection) => {
    const e = report.entities[collection];
    const kept = Object.values(e.keptByReason).reduce((sum, count) => sum + count, 0);
    return [collection, e.removed, e.alreadyGone, kept, e.failed].map(String);
  });
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const byReason = new Map<string, number>();
  for (const collection of ROLLBACK_ORDER)
    for (const [reason, count] of Object.entries(report.entities[collection].keptByReason)) byReason.set(printable(`${collection} ${reason}`), count);
  if (byReason.size > 0) {
    out.push('', 'kept in FiberConnect by reason (rollback.html lists them):');
    for (const [key, count] of [...byReason].sort()) out.push(`  ${String(count).padStart(6)}  ${key}`);
  }
  out.push(
    '',
    `target workflows ${report.target.workflowsRestored ? 'restored' : 'NOT RESTORED'}, e-mail setting ${report.target.emailRestored ? 'restored' : 'NOT RESTORED'}`,
  );
  out.push(`rollback ${report.runId} ${report.status} in ${((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000).toFixed(1)} s`);
  return out.join('\n');
}
