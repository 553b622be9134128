import type { Context } from 'aws-lambda';
import { InvalidInputError } from '../../src/domain/errors.ts';
import { withOutageErrors } from '../../src/handler/outage-errors.ts';
import { fieldsParser, type EventFields } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { getVerification } from '../../src/verify/engine-verifier.ts';
import type { VerifyPage, VerifyPlan } from '../../src/verify/types.ts';
import type { WrittenVerification } from '../../src/verify/verify-report-writer.ts';

/**
 * Input: `step` start (check and record the verification), target (pages of
 * one collection's listing), source or ledger (pages of one collection of
 * one sub-project), report (verify.json and verify.html, the run closed).
 */
const parse = fieldsParser('verify', ['step', 'customer', 'runId'], ['options', 'collection', 'database', 'databases', 'settings', 'position', 'status', 'error']);

/** Stops paging this long before the Lambda's timeout, leaving time to say where it stopped. */
const SAFETY_MS = 20_000;
/** Most time one invocation pages, however long the Lambda may run: keeps each step's retry cheap. */
const BUDGET_MS = 120_000;

/** The fields a step needs, which the schema cannot demand of one step alone. */
function need<K extends keyof EventFields>(event: Partial<EventFields>, names: readonly K[]): Pick<EventFields, K> {
  const absent = names.filter((name) => event[name] === undefined);
  if (absent.length > 0) throw new InvalidInputError(`invalid verify event: ${event.step} needs ${absent.join(', ')}`, { input: 'verify', issue: absent.join(', ') });
  return event as Pick<EventFields, K>;
}

/** One verification step; connection failures become the outage errors the state machine retries. */
export const handler = async (event: unknown, context?: Context): Promise<VerifyPlan | VerifyPage | WrittenVerification> => {
  const input = parse(event);
  const { verifier, reports } = getVerification();
  const remaining = context?.getRemainingTimeInMillis?.() ?? BUDGET_MS + SAFETY_MS;
  const deadline = Date.now() + Math.min(BUDGET_MS, remaining - SAFETY_MS);
  return withOutageErrors(async () => {
    switch (input.step) {
      case 'start':
        return verifier.start(input.customer, input.runId, input.options);
      case 'target': {
        const step = need(input, ['collection', 'settings', 'databases', 'position']);
        const page = await verifier.listTarget({ ...input, ...step, page: step.position }, deadline);
        logger.info('target pages verified', { collection: step.collection, ...page });
        return page;
      }
      case 'source':
      case 'ledger': {
        const step = need(input, ['collection', 'database', 'settings', 'position']);
        const scope = { ...input, ...step, page: step.position };
        const page = input.step === 'source' ? await verifier.checkSource(scope, deadline) : await verifier.checkLedger(scope, deadline);
        logger.info(`${input.step} pages verified`, { collection: step.collection, database: step.database, ...page });
        return page;
      }
      case 'report': {
        const error = input.error ? [input.error.Error, input.error.Cause].filter(Boolean).join(': ') : undefined;
        return reports.write(input.customer, input.runId, input.status ?? 'SUCCEEDED', error);
      }
    }
  }, input.database);
};
