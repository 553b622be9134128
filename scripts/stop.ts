/**
 * `make stop CUSTOMER=x [STAGE=y]`: stops the customer's running run (on the
 * stage, or on the local runtime another command runs for this target) and
 * restores the target's workflows and e-mail; the run's report says RunStopped.
 */
import { runCli } from '../tooling/cli/commands.ts';

await runCli(['stop'], process.env);
