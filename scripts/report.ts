/** `make report CUSTOMER=x [STAGE=y]`: prints the customer's latest report and downloads it under reports/. */
import { runCli } from '../tooling/cli/commands.ts';

await runCli(['report'], process.env);
