// Flat config: typescript-eslint's recommended rules on every TypeScript file of the project.
import js from '@eslint/js';
import { existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import tseslint from 'typescript-eslint';

/** src/ and functions/ are what ships in the Lambda bundles; tooling/ (CLI, local runtime, stand-in, seed, static checks) never does. */
const ENGINE_ONLY = {
  group: ['**/tooling/**', '**/scripts/**', '**/test/**'],
  message: 'the engine (src/, functions/) ships in the Lambda bundles and must not import tooling, scripts or tests',
};

/**
 * The folders of src/ with a face: each folder that holds an index.ts (`ledger`, `domain/collections`...).
 * Its index.ts is all that other folders, functions/, tooling/ and scripts/ may import of it.
 */
function foldersWithFace(dir = 'src', prefix = '') {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const folder = prefix + entry.name;
      const inner = foldersWithFace(join(dir, entry.name), `${folder}/`);
      return existsSync(join(dir, entry.name, 'index.ts')) ? [folder, ...inner] : inner;
    });
}

const FOLDERS = foldersWithFace();
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const THROUGH_FACES = "import another folder of src/ only through its face, <folder>/index.ts (a folder's own files import each other directly)";

/**
 * A file of src/<folder>/ imports its own folder's files as it likes, and of any other folder only its
 * index.ts: a specifier that leaves the folder (`../`) or enters a subfolder with a face of its own
 * (`./collections/`) must be exactly another folder's face. Its own face is refused too: index.ts imports
 * every file of the folder, so the file would import itself (a cycle).
 */
function folderBlock(folder) {
  const faces = FOLDERS.filter((other) => other !== folder).map((other) => {
    const path = posix.relative(`src/${folder}`, `src/${other}/index.ts`);
    return path.startsWith('.') ? path : `./${path}`;
  });
  const inner = FOLDERS.filter((other) => other.startsWith(`${folder}/`)).map((other) => other.slice(folder.length + 1));
  const leaves = inner.length > 0 ? `(?:\\.\\./|\\./(?:${inner.map(escape).join('|')})/)` : '\\.\\./';
  return {
    files: [`src/${folder}/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ENGINE_ONLY,
            { regex: `^(?!(?:${faces.map(escape).join('|')})$)${leaves}`, message: THROUGH_FACES },
            { regex: '^\\./index\\.ts$', message: "a folder's files import each other directly, never their own face (a cycle)" },
          ],
        },
      ],
    },
  };
}

/** From functions/, tooling/ and scripts/: a path into src/ ends in a folder's face. */
const INTO_SRC = {
  regex: `^(?:\\.\\./)+src/(?!(?:${FOLDERS.map(escape).join('|')})/index\\.ts$)`,
  message: "import src/ only through its folders' faces, src/<folder>/index.ts (tests may import internals)",
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.local/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Each folder of src/ is seen from outside through its face only (test/static/faces.test.ts proves the rule fires).
  ...FOLDERS.map(folderBlock),
  { files: ['functions/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_ONLY, INTO_SRC] }] } },
  { files: ['tooling/**/*.ts', 'scripts/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [INTO_SRC] }] } },
);
