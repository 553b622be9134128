import { type Collection, COLLECTIONS } from '../../src/domain/index.ts';
import { BALANCE_FIGURES, FAILING_LISTS, VERIFY_LISTS, type VerifyEntity, type VerifySummary } from '../../src/verify/index.ts';
import { printable } from './terminal-text.ts';

/** verify.json as the CLI reads it: the summary's fields with every list in full. */
export type VerifyFile = Omit<VerifySummary, 'entities'> & { entities: Record<Collection, VerifyEntity> };

/** The table printed at the end of a verification: the balance and the list counts per collection. */
export function verifySummaryTable(file: VerifyFile): string {
  const header = ['collection', ...BALANCE_FIGURES, ...VERIFY_LISTS];
  const rows = COLLECTIONS.map((collection) => {
    const e = file.entities[collection];
    return [collection, ...BALANCE_FIGURES.map((name) => e[name]), ...VERIFY_LISTS.map((list) => e[list].length)].map(String);
  });
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const seconds = (Date.parse(file.finishedAt) - Date.parse(file.startedAt)) / 1000;
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    `verification ${file.runId} ${file.ok ? 'OK' : 'NOT OK'} in ${seconds.toFixed(1)} s`,
  ].join('\n');
}

/** Every missing and stray record, one line each (what exit 1 is about; their values {@link printable}); the changed ones are counted in the table. */
export function verifyLists(file: VerifyFile): string[] {
  const lines: string[] = [];
  for (const list of FAILING_LISTS) {
    for (const collection of COLLECTIONS) {
      for (const finding of file.entities[collection][list])
        lines.push(`${list.padEnd(7)}  ${collection.padEnd(18)}  ${printable(finding.externalRef)}  ${printable(finding.targetId)}`);
    }
  }
  if (file.status === 'FAILED') lines.push(`the verification did not finish: ${printable(file.error ?? 'a step failed')} (nothing is proven)`);
  return lines;
}
