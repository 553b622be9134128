/**
 * `make rollback CUSTOMER=x [STAGE=y]`: removes from FiberConnect what the
 * engine created for the customer (children before parents), keeps what it
 * adopted or a person changed or built on, and writes rollback.json and
 * rollback.html. Exit codes as `make migrate`'s (tooling/cli/constants.ts).
 */
import { runCli } from '../tooling/cli/commands.ts';

await runCli(['rollback'], process.env);
