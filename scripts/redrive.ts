/**
 * `make redrive CUSTOMER=x [STAGE=y]`: moves dead-lettered messages back,
 * lets the consumers work them off, and prints the refreshed report of the
 * latest run. Locally it starts the runtime (and the stand-in, unless
 * FIBERCONNECT_URL is set) like `make migrate`.
 */
import { runCli } from '../tooling/cli/commands.ts';

await runCli(['redrive'], process.env);
