/** `make verify CUSTOMER=x [STAGE=y]`: read-only proof that FiberConnect holds what the ledger says; verify.json and verify.html under reports/. */
import { runCli } from '../tooling/cli/commands.ts';

await runCli(['verify'], process.env);
