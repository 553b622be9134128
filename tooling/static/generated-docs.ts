import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_VARIABLES, type FunctionVariable } from '../../src/pipeline/index.ts';
import { RUN_OPTIONS, type RunOptionDefinition } from '../../src/profile/index.ts';
import { CLI_VARIABLES, type CliVariable, type CliVariableGroup } from '../cli/variables.ts';
import { STANDIN_ENVIRONMENT } from '../standin/config.ts';
import { REPO_ROOT, type Problems } from './terraform-model.ts';

/*
 * Tables of the docs written from the definitions they describe, between
 * markers: docs/run-options.md from RUN_OPTIONS, docs/environment-variables.md
 * from the CLI's and the functions' variables. `make docs` writes them;
 * make test-static fails when a doc's table differs from its definition.
 */

/** One generated part of a doc: its file (from the repository root), its name in the markers, and how it is written. */
export interface GeneratedSection {
  file: string;
  name: string;
  render(): string;
}

export const begin = (name: string): string => `<!-- BEGIN_GENERATED ${name}: make docs writes this table from its definition -->`;
export const end = (name: string): string => `<!-- END_GENERATED ${name} -->`;

const code = (text: string): string => `\`${text}\``;
const cell = (text: string): string => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** A profile setting's value in profiles/default.json (`rates.targetRps`). */
function defaultProfileValue(group: string, name: string): unknown {
  const profile = JSON.parse(readFileSync(join(REPO_ROOT, 'profiles/default.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
  return profile[group]?.[name];
}

/** Where an option's value comes from when a run gives none. */
function defaultCell(option: RunOptionDefinition): string {
  const own = option.default === undefined ? undefined : code(String(option.default));
  if (!option.profile) return own ?? '';
  const path = code(`${option.profile}.${option.name}`);
  if (own) return `the profile's ${path}, else ${own}`;
  return `the profile's ${path} (${code('default.json')}: ${code(String(defaultProfileValue(option.profile, option.name)))})`;
}

/** docs/run-options.md: every run option, one row each. */
export function runOptionsTable(): string {
  const lines = [row(['option', 'CLI variable', 'type', 'range', 'unit', 'default', 'what it does']), row(Array.from({ length: 7 }, () => '---'))];
  for (const option of RUN_OPTIONS as readonly RunOptionDefinition[]) {
    const range = option.range ? `${option.range[0]} to ${option.range[1]}` : '';
    lines.push(
      row([
        code(option.name),
        option.variable ? code(option.variable) : '',
        option.type,
        range,
        option.unit ?? '',
        defaultCell(option),
        cell(option.description),
      ]),
    );
  }
  return lines.join('\n');
}

const GROUP_TITLES: Readonly<Record<CliVariableGroup, string>> = {
  run: 'the run',
  systems: 'the systems it works with',
  runtime: 'the local runtime',
  make: 'read, but no option',
};

function cliRows(variables: readonly CliVariable[]): string[] {
  return variables.map((variable) => row([code(variable.name), variable.default ? code(variable.default) : '', cell(variable.description)]));
}

function runOptionRows(): string[] {
  const options = (RUN_OPTIONS as readonly RunOptionDefinition[]).filter((option) => option.variable);
  const ordered = [...options.filter((option) => option.type === 'boolean'), ...options.filter((option) => option.type !== 'boolean')];
  return ordered.map((option) => {
    const value = option.type === 'boolean' ? '1 or 0' : `${option.range![0]} to ${option.range![1]}`;
    return row([code(option.variable!), '', cell(`run option ${code(option.name)} (${value}; [run options](run-options.md)): ${option.description}`)]);
  });
}

/** docs/environment-variables.md: what the CLI reads, by group, the run options' variables after the run's. */
export function cliVariablesTable(): string {
  const cli = CLI_VARIABLES as readonly CliVariable[];
  const lines = [row(['variable', 'default', 'what it sets']), row(['---', '---', '---'])];
  for (const group of Object.keys(GROUP_TITLES) as CliVariableGroup[]) {
    lines.push(row([`**${GROUP_TITLES[group]}**`, '', '']), ...cliRows(cli.filter((variable) => variable.group === group)));
    if (group === 'run') lines.push(row(['**run options**', '', '']), ...runOptionRows());
  }
  lines.push('', `Known and left alone (the stand-in's, \`make target-api\`): ${STANDIN_ENVIRONMENT.map(code).join(', ')}.`);
  return lines.join('\n');
}

/** docs/environment-variables.md: what the functions read. */
export function functionVariablesTable(): string {
  const lines = [row(['variable', 'read by', 'default', 'what it holds']), row(['---', '---', '---', '---'])];
  for (const variable of FUNCTION_VARIABLES as readonly FunctionVariable[]) {
    lines.push(row([code(variable.name), variable.readBy ?? 'the engine', variable.default ? code(variable.default) : '', cell(variable.description)]));
  }
  return lines.join('\n');
}

/** Every generated part of the docs. */
export const GENERATED_SECTIONS: readonly GeneratedSection[] = [
  { file: 'docs/run-options.md', name: 'run-options', render: runOptionsTable },
  { file: 'docs/environment-variables.md', name: 'cli-variables', render: cliVariablesTable },
  { file: 'docs/environment-variables.md', name: 'function-variables', render: functionVariablesTable },
];

/** The section as its file must hold it, markers included. */
const sectionText = (section: GeneratedSection): string => `${begin(section.name)}\n${section.render()}\n${end(section.name)}`;

function sectionBounds(text: string, section: GeneratedSection): { start: number; stop: number } | undefined {
  const start = text.indexOf(begin(section.name));
  const last = text.indexOf(end(section.name));
  return start >= 0 && last > start ? { start, stop: last + end(section.name).length } : undefined;
}

/** Docs whose generated part is missing or differs from its definition. */
export function checkGeneratedDocs(
  sections: readonly GeneratedSection[] = GENERATED_SECTIONS,
  read: (file: string) => string = (file) => readFileSync(join(REPO_ROOT, file), 'utf8'),
): Problems {
  const problems: Problems = [];
  for (const section of sections) {
    const text = read(section.file);
    const bounds = sectionBounds(text, section);
    if (!bounds) problems.push(`${section.file} has no ${begin(section.name)} ... ${end(section.name)} section (make docs writes it)`);
    else if (text.slice(bounds.start, bounds.stop) !== sectionText(section))
      problems.push(`${section.file}: the ${section.name} table differs from its definition (run make docs)`);
  }
  return problems;
}

/** Rewrites every generated part whose file holds its markers; returns the files changed. */
export function writeGeneratedDocs(sections: readonly GeneratedSection[] = GENERATED_SECTIONS): string[] {
  const changed: string[] = [];
  for (const section of sections) {
    const path = join(REPO_ROOT, section.file);
    const text = readFileSync(path, 'utf8');
    const bounds = sectionBounds(text, section);
    if (!bounds) throw new Error(`${section.file} has no ${begin(section.name)} ... ${end(section.name)} markers: add them where the table goes`);
    const next = `${text.slice(0, bounds.start)}${sectionText(section)}${text.slice(bounds.stop)}`;
    if (next !== text) {
      writeFileSync(path, next);
      if (!changed.includes(section.file)) changed.push(section.file);
    }
  }
  return changed;
}
