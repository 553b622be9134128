import { parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';

/*
 * The parsed Terraform tree the static checks read, with no terraform binary:
 * every .tf file parsed with @cdktf/hcl2json (HCL to JSON, expressions left as
 * "${...}" strings, nothing evaluated), and the helpers that find blocks,
 * locals and templatefile calls in it. The checks are in terraform.ts.
 */

/** Repository root and the Terraform tree the checks read. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const TERRAFORM_DIR = join(REPO_ROOT, 'terraform');
export const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');

/** A JSON value as hcl2json returns it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * The parsed tree, keyed by path under terraform/ (POSIX separators): `files` holds every .tf
 * file, `settings` every tracked .tfvars and .tfbackend file (a stage's values and its backend).
 */
export interface TerraformModel {
  files: Record<string, JsonObject>;
  settings: Record<string, JsonObject>;
}

/** The one root that every AWS stage applies, each with `<stage>.tfvars` and `<stage>.s3.tfbackend`. */
export const STAGE_ROOT = 'environments/stage';

/** Settings files the checks read; git-ignored secret files (`<stage>.secret.tfvars`, `secrets.auto.tfvars`) are never read. */
const SETTINGS_FILE = /\.(tfvars|tfbackend)$/;
const SECRET_FILE = /(\.secret\.tfvars|secrets\.auto\.tfvars)$/;

/** One `resource`/`data`/`module`/`variable` block: where it is, its labels and its body. */
export interface Block {
  file: string;
  /** Folder of the file under terraform/ (`''` for the root module). */
  dir: string;
  type: string;
  name: string;
  body: JsonObject;
}

/** A problem found by a check. */
export type Problems = string[];

// ---------------------------------------------------------------------------
// Loading

/** Parses the given files (path under terraform/ => HCL text): .tf files into `files`, .tfvars and .tfbackend into `settings`. */
export async function parseTerraform(texts: Readonly<Record<string, string>>): Promise<TerraformModel> {
  const model: TerraformModel = { files: {}, settings: {} };
  for (const [path, text] of Object.entries(texts)) {
    (SETTINGS_FILE.test(path) ? model.settings : model.files)[path] = (await parse(path, text)) as JsonObject;
  }
  return model;
}

function tfFiles(dir: string, base = dir): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...tfFiles(path, base));
    else if (entry.name.endsWith('.tf') || (SETTINGS_FILE.test(entry.name) && !SECRET_FILE.test(entry.name)))
      found.push(relative(base, path).split(/[\\/]/).join('/'));
  }
  return found.sort();
}

/** Parses every .tf, .tfvars and .tfbackend file under terraform/ (hidden folders such as .terraform and secret files skipped). */
export async function loadTerraform(dir = TERRAFORM_DIR): Promise<TerraformModel> {
  const texts: Record<string, string> = {};
  for (const path of tfFiles(dir)) texts[path] = readFileSync(join(dir, path), 'utf8');
  return parseTerraform(texts);
}

/** A deep copy of a model, to break in tests. */
export function cloneModel(model: TerraformModel): TerraformModel {
  return structuredClone(model);
}

// ---------------------------------------------------------------------------
// Reading the model

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** The first body of a nested block (hcl2json wraps every block body in an array). */
export function firstBlock(body: JsonObject, name: string): JsonObject | undefined {
  const found = asArray(body[name]).find(isObject);
  return found;
}

export function dirOf(file: string): string {
  const dir = posix.dirname(file);
  return dir === '.' ? '' : dir;
}

/** Blocks with two labels (`resource`, `data`) of one type, optionally only in one module folder. */
export function labelledBlocks(model: TerraformModel, kind: 'resource' | 'data', type: string, dir?: string): Block[] {
  const blocks: Block[] = [];
  for (const [file, parsed] of Object.entries(model.files)) {
    if (dir !== undefined && dirOf(file) !== dir) continue;
    const byType = parsed[kind];
    if (!isObject(byType)) continue;
    const byName = byType[type];
    if (!isObject(byName)) continue;
    for (const [name, bodies] of Object.entries(byName)) {
      for (const body of asArray(bodies)) if (isObject(body)) blocks.push({ file, dir: dirOf(file), type, name, body });
    }
  }
  return blocks;
}

/** Blocks with one label (`variable`, `module`, `output`), optionally only in one module folder. */
export function namedBlocks(model: TerraformModel, kind: 'variable' | 'module' | 'output', dir?: string): Block[] {
  const blocks: Block[] = [];
  for (const [file, parsed] of Object.entries(model.files)) {
    if (dir !== undefined && dirOf(file) !== dir) continue;
    const byName = parsed[kind];
    if (!isObject(byName)) continue;
    for (const [name, bodies] of Object.entries(byName)) {
      for (const body of asArray(bodies)) if (isObject(body)) blocks.push({ file, dir: dirOf(file), type: kind, name, body });
    }
  }
  return blocks;
}

/** Every `locals` value of one module folder, merged. */
export function moduleLocals(model: TerraformModel, dir: string): JsonObject {
  const merged: JsonObject = {};
  for (const [file, parsed] of Object.entries(model.files)) {
    if (dirOf(file) !== dir) continue;
    for (const block of asArray(parsed.locals)) if (isObject(block)) Object.assign(merged, block);
  }
  return merged;
}

/** Does an expression such as `"${aws_s3_bucket.this.id}"` or `"${jsonencode({ a = aws_sqs_queue.x[each.key].arn })}"` refer to the address? */
export function refersTo(value: Json | undefined, address: string): boolean {
  return typeof value === 'string' && value.includes('${') && new RegExp(`(^|[^A-Za-z0-9_.])${address.replace(/\./g, '\\.')}[.[]`).test(value);
}

/** Splits an HCL argument list at top-level commas (strings, brackets and interpolations respected). */
function splitArguments(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      else if (char === '$' && text[i + 1] === '{') {
        // An interpolation inside a string: skip to its matching brace.
        let inner = 0;
        for (i++; i < text.length; i++) {
          if (text[i] === '{') inner++;
          else if (text[i] === '}' && --inner === 0) break;
        }
      }
      continue;
    }
    if (char === '"') inString = true;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** One `templatefile(path, vars)` call found in the model, with its arguments as source text. */
export interface TemplatefileCall {
  block: Block;
  attribute: string;
  path: string;
  variables: string;
}

/** Finds `templatefile(...)` in the attributes of every resource, data source and local. */
export function templatefileCalls(model: TerraformModel): TemplatefileCall[] {
  const calls: TemplatefileCall[] = [];
  const scan = (block: Block, attribute: string, value: Json): void => {
    if (typeof value !== 'string') return;
    for (const match of value.matchAll(/templatefile\(/g)) {
      // The call's arguments end at the matching parenthesis.
      let depth = 1;
      let end = match.index + match[0].length;
      let inString = false;
      for (; end < value.length && depth > 0; end++) {
        const char = value[end]!;
        if (inString) {
          if (char === '\\') end++;
          else if (char === '"') inString = false;
          continue;
        }
        if (char === '"') inString = true;
        else if (char === '(') depth++;
        else if (char === ')') depth--;
      }
      const args = splitArguments(value.slice(match.index + match[0].length, end - 1));
      calls.push({ block, attribute, path: args[0] ?? '', variables: args[1] ?? '' });
    }
  };
  for (const [file, parsed] of Object.entries(model.files)) {
    for (const kind of ['resource', 'data'] as const) {
      const byType = parsed[kind];
      if (!isObject(byType)) continue;
      for (const type of Object.keys(byType)) {
        for (const block of labelledBlocks({ files: { [file]: parsed }, settings: {} }, kind, type)) {
          for (const [attribute, value] of Object.entries(block.body)) scan(block, attribute, value);
        }
      }
    }
    for (const locals of asArray(parsed.locals)) {
      if (!isObject(locals)) continue;
      for (const [name, value] of Object.entries(locals)) scan({ file, dir: dirOf(file), type: 'locals', name, body: locals }, name, value);
    }
  }
  return calls;
}

/** `local.x` / `var.x` / an inline object: the keys a templatefile call binds, or why they are unknown. */
export function boundVariables(model: TerraformModel, call: TemplatefileCall): { bindings: Record<string, Json> } | { error: string } {
  const expression = call.variables.trim();
  const local = /^local\.([A-Za-z0-9_]+)$/.exec(expression);
  if (local) {
    const value = moduleLocals(model, call.block.dir)[local[1]!];
    if (!isObject(value)) return { error: `${call.block.file}: templatefile variables ${expression} is not an object literal in the module's locals` };
    return { bindings: value };
  }
  if (expression.startsWith('{') && expression.endsWith('}')) {
    const bindings: Record<string, Json> = {};
    for (const part of splitArguments(expression.slice(1, -1).replace(/\n/g, ','))) {
      const key = /^"?([A-Za-z_][A-Za-z0-9_]*)"?\s*[=:]\s*([\s\S]*)$/.exec(part);
      if (key) bindings[key[1]!] = key[2]!.trim();
    }
    return { bindings };
  }
  return { error: `${call.block.file}: templatefile variables "${expression}" cannot be read statically: use a local object literal or an inline object` };
}

/** The template files one templatefile call renders (its path with `each.key` expanded over the block's for_each). */
export function renderedTemplates(model: TerraformModel, call: TemplatefileCall): { templates: { key: string; file: string }[] } | { error: string } {
  const path = /^"([\s\S]*)"$/.exec(call.path.trim())?.[1];
  if (path === undefined) return { error: `${call.block.file}: templatefile path ${call.path} is not a string` };
  const moduleDir = join(TERRAFORM_DIR, call.block.dir);
  const resolvePath = (key?: string): string =>
    resolve(
      moduleDir,
      path
        .replace(/\$\{path\.module\}/g, '.')
        .replace(/\$\{each\.key\}/g, key ?? '')
        .replace(/^\.\//, ''),
    );
  if (!path.includes('${each.key}')) {
    if (/\$\{/.test(path.replace(/\$\{path\.module\}/g, ''))) return { error: `${call.block.file}: templatefile path ${path} cannot be resolved statically` };
    return { templates: [{ key: '', file: resolvePath() }] };
  }
  const forEach = call.block.body.for_each;
  const local = typeof forEach === 'string' ? /^\$\{local\.([A-Za-z0-9_]+)\}$/.exec(forEach) : null;
  const keys = local ? moduleLocals(model, call.block.dir)[local[1]!] : undefined;
  if (!isObject(keys))
    return {
      error: `${call.block.file}: ${call.block.type}.${call.block.name} renders \${each.key} templates, but its for_each is not a local object literal`,
    };
  return { templates: Object.keys(keys).map((key) => ({ key, file: resolvePath(key) })) };
}
