/**
 * The verification: target listing, source balance, ledger check, verify.json and verify.html.
 *
 * @packageDocumentation
 */
export { BALANCE_FIGURES, FAILING_LISTS, VERIFY_LISTS, verifyKeys } from './constants.ts';
export { getVerification } from './engine-verifier.ts';
export type { StoredFigures, VerifyEntity, VerifyPlan, VerifySummary } from './types.ts';
export type { WrittenVerification } from './verify-report-writer.ts';
export { VerifyStore } from './verify-store.ts';
