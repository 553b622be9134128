import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { namedBlocks, TERRAFORM_DIR, type Json, type Problems, type TerraformModel } from './terraform-model.ts';

/*
 * terraform-docs style Inputs and Outputs tables of a module's README,
 * between the markers terraform-docs uses, generated from its variables.tf
 * and outputs.tf. `make tf-docs` writes them; make test-static fails when a
 * README's tables differ from what its module declares.
 */

export const BEGIN = '<!-- BEGIN_TF_DOCS -->';
export const END = '<!-- END_TF_DOCS -->';

/** Module folders (under terraform/) whose README carries the tables: the root and every module. */
export function documentedModules(model: TerraformModel): string[] {
  const dirs = new Set(Object.keys(model.files).map((file) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '')));
  return [...dirs].filter((dir) => dir === '' || dir.startsWith('modules/')).sort();
}

function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

function hcl(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.startsWith('${') && value.endsWith('}') ? value.slice(2, -1) : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(hcl).join(', ')}]`;
  if (typeof value === 'object')
    return Object.keys(value).length === 0
      ? '{}'
      : `{ ${Object.entries(value)
          .map(([k, v]) => `${k} = ${hcl(v)}`)
          .join(', ')} }`;
  return String(value);
}

/** The generated section of one module's README (markers included). */
export function moduleDocs(model: TerraformModel, dir: string): string {
  const variables = namedBlocks(model, 'variable', dir).sort((a, b) => (a.name < b.name ? -1 : 1));
  const outputs = namedBlocks(model, 'output', dir).sort((a, b) => (a.name < b.name ? -1 : 1));
  const lines = [BEGIN, '## Inputs', '', '| Name | Description | Type | Default | Required |', '|------|-------------|------|---------|:--------:|'];
  for (const { name, body } of variables) {
    const notes = [body.sensitive === true ? 'sensitive' : '', body.ephemeral === true ? 'ephemeral: never in state or a plan' : ''].filter(Boolean);
    const description = `${String(body.description ?? '')}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    const type = typeof body.type === 'string' ? hcl(body.type) : 'any';
    const required = !('default' in body);
    lines.push(
      `| \`${name}\` | ${cell(description)} | \`${cell(type)}\` | ${required ? 'n/a' : `\`${cell(hcl(body.default!))}\``} | ${required ? 'yes' : 'no'} |`,
    );
  }
  lines.push('', '## Outputs', '', '| Name | Description |', '|------|-------------|');
  for (const { name, body } of outputs) lines.push(`| \`${name}\` | ${cell(String(body.description ?? ''))} |`);
  lines.push(END);
  return lines.join('\n');
}

const readmeOf = (dir: string): string => join(TERRAFORM_DIR, dir, 'README.md');

/** READMEs whose tables are missing or differ from their module's declarations. */
export function checkModuleDocs(model: TerraformModel, read: (path: string) => string = (path) => readFileSync(path, 'utf8')): Problems {
  const problems: Problems = [];
  for (const dir of documentedModules(model)) {
    const path = `terraform/${dir ? `${dir}/` : ''}README.md`;
    const text = read(readmeOf(dir));
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    if (start < 0 || end < start) {
      problems.push(`${path} has no ${BEGIN} ... ${END} section (make tf-docs writes it)`);
      continue;
    }
    if (text.slice(start, end + END.length) !== moduleDocs(model, dir))
      problems.push(`${path}: the inputs/outputs tables differ from ${dir || 'the root'}'s variables.tf and outputs.tf (run make tf-docs)`);
  }
  return problems;
}

/** Rewrites every README's section (or appends one); returns the files changed. */
export function writeModuleDocs(model: TerraformModel): string[] {
  const changed: string[] = [];
  for (const dir of documentedModules(model)) {
    const path = readmeOf(dir);
    const text = readFileSync(path, 'utf8');
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    const section = moduleDocs(model, dir);
    const next = start >= 0 && end > start ? `${text.slice(0, start)}${section}${text.slice(end + END.length)}` : `${text.trimEnd()}\n\n${section}\n`;
    if (next !== text) {
      writeFileSync(path, next);
      changed.push(path);
    }
  }
  return changed;
}

/** Every "<n> Lambda functions|Lambdas" and "<n> state machines" of the given docs (path => text) against the real counts. */
export function checkDocumentedCounts(docs: Readonly<Record<string, string>>, counts: { functions: number; stateMachines: number }): Problems {
  const problems: Problems = [];
  for (const [path, text] of Object.entries(docs)) {
    for (const match of text.matchAll(/\b(\d+) (Lambda functions|Lambdas|state machines)\b/g)) {
      const [said, number, what] = match;
      const actual = what === 'state machines' ? counts.stateMachines : counts.functions;
      if (Number(number) !== actual) problems.push(`${path}: says "${said}", but there are ${actual}`);
    }
  }
  return problems;
}
