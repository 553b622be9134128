import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './terraform-model.ts';

/*
 * Static checks of the design changes docs/scaling.md calls for: the
 * producers' back-pressure has one constant, which the producer uses. (The
 * ledger's keys are typed: src/ledger/keys.ts builds them, and its unit test
 * proves their shapes.)
 */

/** The engine's TypeScript files (src/, functions/; or the given folders), path under the repository => text. */
export function engineSources(root = REPO_ROOT, dirs: readonly string[] = ['src', 'functions']): Record<string, string> {
  const texts: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) texts[relative(root, path).split(/[\\/]/).join('/')] = readFileSync(path, 'utf8');
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return texts;
}
