/**
 * The rollback: the ledger as a rollback reads and writes it, ledger pages to removal messages, the
 * removal consumer, rollback.json and rollback.html.
 *
 * @packageDocumentation
 */
export { ROLLBACK_ORDER } from './constants.ts';
export { RemovalLedger } from './removal-ledger.ts';
export { Remover } from './remover.ts';
export { RollbackProducer } from './rollback-producer.ts';
export { rollbackReportKeys, RollbackReportWriter } from './rollback-report-writer.ts';
export type { RemovalPage, RollbackFigures } from './types.ts';
