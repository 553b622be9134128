import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/** The folders of src/ with a face (an index.ts), as paths under src/: `ledger`, `domain/collections`... */
export function foldersWithFace(dir: string = resolve(ROOT, 'src'), prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const folder = `${prefix}${entry.name}`;
      const inner = foldersWithFace(join(dir, entry.name), `${folder}/`);
      return existsSync(join(dir, entry.name, 'index.ts')) ? [folder, ...inner] : inner;
    });
}

/** The folder (with a face) a file of src/ belongs to: the deepest one that holds it; undefined outside src/. */
export function folderOf(file: string, folders: readonly string[]): string | undefined {
  return folders.filter((folder) => file.startsWith(`src/${folder}/`)).sort((a, b) => b.length - a.length)[0];
}

/** TypeScript files of src/ that do not sit directly in a folder with a face: the lint's per-folder rule would not see them. */
export function filesWithoutFace(graph: Record<string, string[]>, folders: readonly string[]): string[] {
  return Object.keys(graph).filter((file) => file.startsWith('src/') && file.endsWith('.ts') && !folders.includes(dirname(file).slice('src/'.length)));
}

/** Imports (static or import()) of another folder's file that is not its face, from src/, functions/, tooling/ and scripts/, as `from → to`. */
export function deepImports(graph: Record<string, string[]>, folders: readonly string[]): string[] {
  return Object.entries(graph).flatMap(([from, tos]) => {
    if (from.startsWith('test/')) return [];
    const own = folderOf(from, folders);
    return tos
      .filter((to) => to.startsWith('src/') && folderOf(to, folders) !== own && to !== `src/${folderOf(to, folders)}/index.ts`)
      .map((to) => `${from} → ${to}`);
  });
}

/** The import graph of src/'s folders: one node per folder with a face, an edge where one of its files imports another folder's. */
export function folderGraph(graph: Record<string, string[]>, folders: readonly string[]): Record<string, string[]> {
  const edges: Record<string, Set<string>> = Object.fromEntries(folders.map((folder) => [folder, new Set<string>()]));
  for (const [from, tos] of Object.entries(graph)) {
    const a = folderOf(from, folders);
    if (a === undefined) continue;
    for (const to of tos) {
      const b = folderOf(to, folders);
      if (b !== undefined && b !== a) edges[a]!.add(b);
    }
  }
  return Object.fromEntries(Object.entries(edges).map(([folder, tos]) => [folder, [...tos].sort()]));
}
