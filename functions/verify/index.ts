import type { Context } from 'aws-lambda';
import { InvalidInputError } from '../../src/domain/index.ts';
import { type EventFields, fieldsParser, logger, preload, type VerifyPage, withOutageErrors } from '../../src/handler/index.ts';
import { getVerification, type VerifyPlan, type WrittenVerification } from '../../src/verify/index.ts';

// Loaded during init, not on the first invocation.
preload('target', 'legacy');

/**
 * Input: `step` start (check and record the verification), target (pages of
 * one collection's listing), source or ledger (pages of one collection of
 * one sub-project), report (verify.json and verify.html, the run closed).
 */
const parse = fieldsParser(
  'verify',
  ['step', 'customer', 'runId'],
  ['options', 'collection', 'database', 'databases', 'settings', 'position', 'status', 'error'],
);

/** The fields each step needs, which the schema cannot demand of one step alone. */
const NEEDS: Readonly<Record<EventFields['step'], readonly (keyof EventFields)[]>> = {
  start: [],
  target: ['collection', 'settings', 'databases', 'position'],
  source: ['collection', 'database', 'settings', 'position'],
  ledger: ['collection', 'database', 'settings', 'position'],
  report: [],
};

/** Stops paging this long before the Lambda's timeout, leaving time to say where it stopped. */
const SAFETY_MS = 20_000;
/** Most time one invocation pages, however long the Lambda may run: keeps each step's retry cheap. */
const BUDGET_MS = 120_000;

/** One verification step; connection failures become the outage errors the state machine retries. */
export const handler = async (event: unknown, context?: Context): Promise<VerifyPlan | VerifyPage | WrittenVerification> => {
  const input = parse(event);
  const absent = NEEDS[input.step].filter((name) => input[name as keyof typeof input] === undefined);
  if (absent.length > 0)
    throw new InvalidInputError(`invalid verify event: ${input.step} needs ${absent.join(', ')}`, { input: 'verify', issue: absent.join(', ') });
  // Present, as NEEDS just checked for the step that reads them.
  const step = input as typeof input & Pick<EventFields, 'collection' | 'database' | 'settings' | 'databases' | 'position'>;
  const remaining = context?.getRemainingTimeInMillis?.() ?? BUDGET_MS + SAFETY_MS;
  const deadline = Date.now() + Math.min(BUDGET_MS, remaining - SAFETY_MS);
  return withOutageErrors(async () => {
    const { verifier, reports } = getVerification();
    switch (step.step) {
      case 'start':
        return verifier.start(step.customer, step.runId, step.options);
      case 'target': {
        const page = await verifier.listTarget({ ...step, page: step.position }, deadline);
        logger.info('target pages verified', { collection: step.collection, ...page });
        return page;
      }
      case 'source':
      case 'ledger': {
        const scope = { ...step, page: step.position };
        const page = step.step === 'source' ? await verifier.checkSource(scope, deadline) : await verifier.checkLedger(scope, deadline);
        logger.info(`${step.step} pages verified`, { collection: step.collection, database: step.database, ...page });
        return page;
      }
      case 'report': {
        const error = step.error ? [step.error.Error, step.error.Cause].filter(Boolean).join(': ') : undefined;
        return reports.write(step.customer, step.runId, step.status ?? 'SUCCEEDED', error);
      }
    }
  }, step.database);
};
