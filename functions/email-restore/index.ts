import { getRunLifecycle } from '../../src/control/engine-lifecycle.ts';
import { fieldsParser } from '../../src/handler/parse-event.ts';

const parse = fieldsParser('email-restore', ['customer', 'runId', 'targetRps'], ['dryRun']);

/** Puts back the e-mail setting still to restore; runs on success and in every Catch. */
export const handler = async (event: unknown): Promise<{ emailRestored: boolean }> => getRunLifecycle().restoreEmail(parse(event));
