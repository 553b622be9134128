import { resolve } from 'node:path';
import madge from 'madge';

/** The repository's root. */
const ROOT = resolve(import.meta.dirname, '../..');

/** Folders whose code ships in the Lambda bundles. Everything else (tooling/, scripts/, test/) never does. */
export const ENGINE_FOLDERS = ['src', 'functions'] as const;

/** The import graph of the project's TypeScript, repo-relative paths, type-only imports included. */
export async function importGraph(folders: readonly string[] = ['src', 'tooling', 'functions', 'scripts', 'test']): Promise<Record<string, string[]>> {
  const result = await madge(
    folders.map((folder) => resolve(ROOT, folder)),
    { baseDir: ROOT, fileExtensions: ['ts'], tsConfig: resolve(ROOT, 'tsconfig.json'), detectiveOptions: { ts: { skipTypeImports: false } } },
  );
  return result.obj();
}

/** Every cycle of a graph (madge's own cycle finder, which also takes a ready graph), each as the modules on it. */
export async function cyclesOf(graph: Record<string, string[]>): Promise<string[][]> {
  return (await madge(graph)).circular();
}

/** Imports from an engine folder into anything that does not ship, as `from → to`. */
export function engineImportsOfTooling(graph: Record<string, string[]>): string[] {
  const isEngine = (file: string) => ENGINE_FOLDERS.some((folder) => file.startsWith(`${folder}/`));
  return Object.entries(graph).flatMap(([from, tos]) => (isEngine(from) ? tos.filter((to) => !isEngine(to)).map((to) => `${from} → ${to}`) : []));
}
