import { type Problems } from './terraform-model.ts';

/*
 * Which environment variables code reads, found in its text: `process.env.NAME`,
 * `env.NAME` and `env['NAME']` (the CLI reads a copy of the environment
 * named `env`), and the names src/pipeline/environment.ts hands its helpers
 * (`required('LEDGER_TABLE', env)`, `queueMap('QUEUE_URLS', env)`). Other
 * reads through a variable name (`env[name]`) are the definitions' own loops,
 * or the CLI's `number(name)`, whose names the compiler checks (CliVariableName).
 * Comment lines are skipped: a TSDoc example that reads a variable reads nothing.
 */

const READS = [
  /\bprocess\.env\.([A-Z_][A-Z0-9_]*)/g,
  /\benv\??\.([A-Z_][A-Z0-9_]*)/g,
  /\benv\[\s*['"`]([A-Z_][A-Z0-9_]*)['"`]\s*\]/g,
  /\b(?:required|queueMap)\(\s*'([A-Z_][A-Z0-9_]*)'/g,
];

/** The text without its comment lines (`//`, `/*`, ` * `). */
const code = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
    .join('\n');

/** Every variable each file reads by its name: file => names, sorted. */
export function environmentReads(texts: Readonly<Record<string, string>>): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [file, whole] of Object.entries(texts)) {
    const text = code(whole);
    const names = new Set(READS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!)));
    if (names.size > 0) found[file] = [...names].sort();
  }
  return found;
}

/** Reads of a variable that is not defined (`defined`: the names the definitions give), one line each. */
export function checkEnvironmentReads(texts: Readonly<Record<string, string>>, defined: readonly string[], definitions: string): Problems {
  return Object.entries(environmentReads(texts)).flatMap(([file, names]) =>
    names.filter((name) => !defined.includes(name)).map((name) => `${file} reads ${name}, which ${definitions} does not define`),
  );
}
