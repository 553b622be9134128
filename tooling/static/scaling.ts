import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './terraform-model.ts';

/*
 * Static checks of the design changes docs/scaling.md calls for: the ledger's
 * keys are built in one place (spread by sub-project), and the producers'
 * back-pressure has one constant, which the producer uses.
 */

/** The engine's TypeScript files (src/, functions/), path under the repository => text. */
export function engineSources(root = REPO_ROOT): Record<string, string> {
  const texts: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) texts[relative(root, path).split(/[\\/]/).join('/')] = readFileSync(path, 'utf8');
    }
  };
  for (const dir of ['src', 'functions']) walk(join(root, dir));
  return texts;
}

/** Where the ledger's key shapes are defined: `ledgerPartition`, `runPartition` and the partitions built on them. */
export const LEDGER_KEYS_FILE = 'src/ledger/ledger.ts';
/** The files that read and write the ledger table. */
export const LEDGER_TABLE_FILES = [LEDGER_KEYS_FILE, 'src/ledger/removal-ledger.ts'];

/** A key of a customer's collection or a run's collection written out by hand: `${customer}#${collection}`, `${runId}#${key.collection}`... */
const HAND_BUILT_KEY = /\$\{(?:\w+\.)?(?:customer|runId)\}#\$\{(?:\w+\.)?collection\}/;
/** A ledger key attribute (or its query value) given something else than a partition function's answer or the `pk` it was given. */
const KEY_ASSIGNMENT = /(?:\bpk|'?:pk'?|\brunCollection|':rc'):\s*([^,}]+)/g;
const FROM_PARTITION_FUNCTION = /^(?:pk$|(?:ledger|entry|entryRun|identity|outcome|run)Partition\()/;

/**
 * Lines that build a ledger key by hand: a `customer#collection` or
 * `runId#collection` template outside {@link LEDGER_KEYS_FILE}, or, in the
 * ledger table's files, a `pk` or `runCollection` not taken from a partition
 * function. One `file:line: text` each.
 */
export function handBuiltLedgerKeys(texts: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [file, text] of Object.entries(texts)) {
    text.split('\n').forEach((line, index) => {
      const byHand = file !== LEDGER_KEYS_FILE && HAND_BUILT_KEY.test(line);
      const notFromPartition =
        LEDGER_TABLE_FILES.includes(file) && [...line.matchAll(KEY_ASSIGNMENT)].some(([, value]) => !FROM_PARTITION_FUNCTION.test(value!.trim()));
      if (byHand || notFromPartition) problems.push(`${file}:${index + 1}: ${line.trim()}`);
    });
  }
  return problems;
}
