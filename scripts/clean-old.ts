/**
 * `make clean-old DAYS=n`: removes the local reports, failed payloads,
 * document claim checks and dry-run ledger entries older than n days (what a
 * stage's lifecycle rules and TTL expire by themselves). Exit 0 done, 2 bad
 * DAYS or a local runtime still running.
 */
import { cleanOld, parseDays } from '../tooling/cli/clean-old.ts';
import { runCommand, runtimeSettingsFromEnv } from '../tooling/cli/entry.ts';

await runCommand('clean-old', async () => {
  const days = parseDays(process.env.DAYS);
  const { basePort } = runtimeSettingsFromEnv(process.env);
  await cleanOld(days, { ...(basePort ? { basePort } : {}) }, (line) => void process.stdout.write(`${line}\n`));
  return { runId: '', status: 'SUCCEEDED' };
});
