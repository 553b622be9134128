/**
 * `make follow CUSTOMER=x [STAGE=y]`: follows the customer's running run
 * (started elsewhere, or left by Ctrl-C, detach) to its report.
 */
import { runCli } from '../tooling/cli/commands.ts';

await runCli(['follow'], process.env);
