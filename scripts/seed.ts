// Seeds one customer's FiberPlan databases and writes the manifest of what a migration must report.
// Env: CUSTOMER (demo), SEED (1), SCALE (1), DIRT (0.05), LEGACY_DB_URL (mysql://root@127.0.0.1:3306).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MigrationError } from '../src/domain/index.ts';
import { assertReachable, createLegacyPool, parseLegacyDbUrl } from '../src/source/mysql/index.ts';
import { parseSeedOptions } from '../tooling/seed/options.ts';
import { seedCustomer } from '../tooling/seed/seed-customer.ts';

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseSeedOptions(process.env);
  const config = parseLegacyDbUrl(process.env.LEGACY_DB_URL || undefined);
  const pool = createLegacyPool(config, { connectionLimit: 4 });
  try {
    await assertReachable(pool, config);
    const { manifest, counts } = await seedCustomer(pool, config, options);
    const file = path.join('.local', 'seed', options.customer, 'manifest.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);

    let total = 0;
    for (const [database, tables] of Object.entries(counts)) {
      const rows = Object.entries(tables)
        .map(([table, n]) => `${table}=${n}`)
        .join(' ');
      total += Object.values(tables).reduce((sum, n) => sum + n, 0);
      console.log(`${database}: ${rows}`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`seeded ${total} rows for ${options.customer} (SEED=${options.seed} SCALE=${options.scale} DIRT=${options.dirt}) in ${seconds} s`);
    console.log(`manifest: ${file} (${manifest.planted.length} planted defects)`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  // Expected errors get one line; anything else keeps its stack for debugging.
  console.error(error instanceof MigrationError ? `seed: ${error.message}` : error);
  process.exitCode = 1;
});
