/**
 * `make build`: one esbuild bundle per folder of functions/ into dist/<name>/index.mjs (+ source map; what a handler loads on first use in dist/<name>/chunks/),
 * and dist/profiles.json, every customer profile resolved, for Terraform's Parameter Store entries.
 * Skipped when nothing it is made of changed since the last build (dist/.inputs.sha256); BUILD_FORCE=1 rebuilds.
 *
 * The AWS SDK v3 is bundled, not left to the runtime: nodejs22.x ships an SDK
 * that lags the version this project pins and tests against (and changes
 * without notice), and the embedded local runtime loads these same bundles in
 * worker threads. Bundling gives every runtime the exact SDK the tests ran,
 * and tree-shaking keeps the cold start small.
 *
 * The project's files import each other through each folder's face (src/<folder>/index.ts), which
 * re-exports the whole folder; package.json says `"sideEffects": false`, so esbuild keeps only the
 * files whose exports a bundle uses. No file of src/ is imported for a side effect of its own: its
 * module-scope SDK clients, caches and compiled schemas serve its exports only.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { FileProfiles } from '../src/profile/index.ts';

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

/** Every file below a folder, sorted, as paths from the project root. */
function filesBelow(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

/** One hash of everything the bundles and profiles are made of: the engine, the handlers, the profiles, package.json (its sideEffects), the locked dependencies and this script. */
function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of [
    ...filesBelow('src'),
    ...filesBelow('functions'),
    ...filesBelow('profiles'),
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'scripts/build.ts',
  ]) {
    hash
      .update(`${file}\u0000`)
      .update(readFileSync(join(root, file)))
      .update('\u0000');
  }
  return hash.digest('hex');
}

const STAMP = join(distDir, '.inputs.sha256');

async function main(): Promise<void> {
  const names = handlerNames();
  if (names.length === 0) throw new Error(`no handlers found under ${functionsDir}`);
  // Nothing changed since the last build: every make migrate/verify/rollback would otherwise spend some 15 s rebuilding the same bundles.
  const inputs = inputsHash();
  const complete = names.every((name) => existsSync(join(distDir, name, 'index.mjs'))) && existsSync(join(distDir, 'profiles.json'));
  if (!process.env.BUILD_FORCE && complete && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === inputs) {
    console.log(`dist/ is up to date (${names.length} bundles; BUILD_FORCE=1 rebuilds)`);
    return;
  }
  rmSync(distDir, { recursive: true, force: true });
  const started = Date.now();
  await Promise.all(
    names.map((name) =>
      build({
        entryPoints: [join(functionsDir, name, 'index.ts')],
        // Split: what a handler imports on first use (import()) becomes a chunk beside index.mjs, loaded only when needed.
        outdir: join(distDir, name),
        entryNames: 'index',
        chunkNames: 'chunks/[name]-[hash]',
        outExtension: { '.js': '.mjs' },
        splitting: true,
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
  writeFileSync(STAMP, inputs);
  console.log(
    `built ${names.length} bundles and ${Object.keys(resolved).length} resolved profiles into dist/ in ${Date.now() - started} ms: ${names.join(', ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
