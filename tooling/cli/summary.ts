import { COLLECTIONS } from '../../src/domain/index.ts';
import type { RunFigures } from '../../src/ledger/index.ts';
import { printable } from './terminal-text.ts';

/** The line above a dry run's table: what its figures mean. */
export const DRY_RUN_NOTE = 'DRY RUN: nothing was sent to FiberConnect, the ledger is unchanged; migrated = would be migrated, updated = would be updated';

/** The table printed at the end of a run: one row per collection, then failures by code. */
export function summaryTable(report: RunFigures): string {
  const header = ['collection', 'source', 'migrated', 'updated', 'already', 'skipped', 'failed', 'deletedInSource'];
  const rows = COLLECTIONS.map((collection) => {
    const e = report.entities[collection];
    return [collection, e.source, e.migrated, e.updated, e.alreadyMigrated, e.skipped, e.failed, e.deletedInSource.count].map(String);
  });
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [...(report.dryRun ? [DRY_RUN_NOTE] : []), line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const byCode = new Map<string, number>();
  for (const collection of COLLECTIONS) {
    for (const group of report.entities[collection].groups)
      byCode.set(printable(`${collection} ${group.code}${group.field ? ` (${group.field})` : ''}`), group.count);
  }
  if (byCode.size > 0) {
    out.push('', 'failed and skipped records by reason:');
    for (const [key, count] of [...byCode].sort()) out.push(`  ${String(count).padStart(6)}  ${key}`);
  }
  const deleted = COLLECTIONS.reduce((sum, collection) => sum + report.entities[collection].deletedInSource.deleted, 0);
  const gone = COLLECTIONS.reduce((sum, collection) => sum + report.entities[collection].deletedInSource.count, 0);
  if (gone > 0)
    out.push(
      '',
      `${gone} record(s) gone from FiberPlan (deletedInSource): ${deleted} deleted in FiberConnect, ${gone - deleted} left there${deleted === 0 ? ' (DELETE_MISSING=1 deletes them)' : ''}`,
    );
  if (report.dryRun) out.push('', 'target workflows and e-mail setting untouched (dry run)');
  else
    out.push(
      '',
      `target workflows ${report.target.workflowsRestored ? 'restored' : 'NOT RESTORED'}, e-mail setting ${report.target.emailRestored ? 'restored' : 'NOT RESTORED'}`,
    );
  out.push(`${report.dryRun ? 'dry run' : 'run'} ${printable(report.runId)} ${printable(report.status)} in ${(report.durationMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}
