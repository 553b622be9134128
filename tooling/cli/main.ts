/**
 * `fiberplan-migrate migrate|report|redrive|verify|rollback|stop|follow [NAME=value ...]`: the CLI's own
 * entry (package.json "bin", through bin/fiberplan-migrate), whose exit code
 * reaches the caller (make turns every failure into 2).
 */
import { runCli } from './commands.ts';

await runCli(process.argv.slice(2), process.env);
