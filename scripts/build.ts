/**
 * `make build`: one esbuild bundle per folder of functions/ into dist/<name>/index.mjs (+ source map),
 * and dist/profiles.json, every customer profile resolved, for Terraform's Parameter Store entries.
 *
 * The AWS SDK v3 is bundled, not left to the runtime: nodejs22.x ships an SDK
 * that lags the version this project pins and tests against (and changes
 * without notice), and the embedded local runtime loads these same bundles in
 * worker threads. Bundling gives every runtime the exact SDK the tests ran,
 * and tree-shaking keeps the cold start small.
 */
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { FileProfiles } from '../src/profile/file-profiles.ts';

const root = resolve(import.meta.dirname, '..');
const functionsDir = join(root, 'functions');
const distDir = join(root, 'dist');

/** Handler folders: every folder of functions/ with an index.ts. */
function handlerNames(): string[] {
  return readdirSync(functionsDir)
    .filter((name) => statSync(join(functionsDir, name)).isDirectory())
    .filter((name) => existsSync(join(functionsDir, name, 'index.ts')))
    .sort();
}

async function main(): Promise<void> {
  const names = handlerNames();
  if (names.length === 0) throw new Error(`no handlers found under ${functionsDir}`);
  rmSync(distDir, { recursive: true, force: true });
  const started = Date.now();
  await Promise.all(
    names.map((name) =>
      build({
        entryPoints: [join(functionsDir, name, 'index.ts')],
        outfile: join(distDir, name, 'index.mjs'),
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'esm',
        sourcemap: true,
        minify: true,
        keepNames: true,
        legalComments: 'none',
        logLevel: 'warning',
        // CommonJS dependencies (mysql2, parts of the SDK) call require(); ESM bundles have none of their own.
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      }),
    ),
  );
  // Terraform writes one Parameter Store entry per customer profile, resolved (extends merged) here once.
  const profiles = new FileProfiles(join(root, 'profiles'));
  const resolved = Object.fromEntries(
    readdirSync(join(root, 'profiles'))
      .filter((file) => file.endsWith('.json'))
      .map((file) => basename(file, '.json'))
      .sort()
      .map((name) => [name, profiles.resolve(name)]),
  );
  writeFileSync(join(distDir, 'profiles.json'), `${JSON.stringify(resolved, null, 2)}\n`);
  console.log(`built ${names.length} bundles and ${Object.keys(resolved).length} resolved profiles into dist/ in ${Date.now() - started} ms: ${names.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
