/**
 * `make migrate CUSTOMER=x [STAGE=y]`: one customer's migration, with live
 * progress and the report at the end; on the embedded local runtime, or on a
 * deployed stage when STAGE is set. Exit codes: tooling/cli/constants.ts
 * (make itself returns 2 on any failure; `fiberplan-migrate migrate` passes them on).
 */
import { runCli } from '../tooling/cli/commands.ts';

await runCli(['migrate'], process.env);
