import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { providerSchema, type BlockSchema } from './provider-schema.ts';
import { isObject, TERRAFORM_DIR, type Json, type JsonObject, type Problems, type TerraformModel } from './terraform-model.ts';

/*
 * Every resource and data block's arguments and nested blocks checked against
 * the AWS provider's schema (tooling/static/provider-schema.ts): an argument
 * the provider does not have, a required one left out, or a block written
 * where an attribute belongs (and the reverse) fails with file and line.
 * hcl2json keeps no positions, so lines are found in the file's text: the
 * block's header, then each name's first `name =` or `name {` inside it.
 */

/** Meta-arguments Terraform itself handles, valid in every resource and data block. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'dynamic', 'connection', 'provisioner']);

/** Where names are written in one file: line numbers and whether each is a block there. */
class FileText {
  private readonly lines: string[];

  public constructor(text: string) {
    this.lines = text.split('\n');
  }

  /** The line (0-based) of a block header such as `resource "aws_sqs_queue" "this" {`. */
  public header(kind: string, type: string, name: string): number {
    const pattern = new RegExp(`^\\s*${kind}\\s+"${type}"\\s+"${name}"\\s*\\{`);
    return Math.max(
      0,
      this.lines.findIndex((line) => pattern.test(line)),
    );
  }

  /** The first line at or after `from` that writes `name = ...` or `name {` (or `dynamic "name" {`), and which of the two it is. */
  public find(name: string, from: number): { line: number; block: boolean } | undefined {
    const attribute = new RegExp(`^\\s*"?${name}"?\\s*=(?!=)`);
    const block = new RegExp(`^\\s*(${name}\\s*\\{|dynamic\\s+"${name}"\\s*\\{)`);
    for (let i = from; i < this.lines.length; i++) {
      if (block.test(this.lines[i]!)) return { line: i, block: true };
      if (attribute.test(this.lines[i]!)) return { line: i, block: false };
    }
    return undefined;
  }
}

function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Problems of one block body against its schema; `at` is the line its header is on. */
function checkBody(body: JsonObject, schema: BlockSchema, where: { file: string; text: FileText; at: number; path: string }, meta: boolean): Problems {
  const problems: Problems = [];
  const line = (n: number) => `${where.file}:${n + 1}`;
  const dynamic: Record<string, JsonObject[]> = {};
  for (const spec of asArray(body.dynamic).filter(isObject))
    for (const [name, bodies] of Object.entries(spec)) dynamic[name] = asArray(bodies).filter(isObject);
  for (const [name, value] of Object.entries(body)) {
    if (name === 'dynamic' || (meta && META_ARGUMENTS.has(name))) continue;
    const found = where.text.find(name, where.at);
    const at = found?.line ?? where.at;
    const attribute = schema.attributes[name];
    const block = schema.blocks[name];
    if (!attribute && !block) {
      problems.push(`${line(at)}: ${where.path} has no argument or block "${name}" in the AWS provider`);
      continue;
    }
    if (block && found && !found.block) problems.push(`${line(at)}: ${where.path}.${name} is a block: write ${name} { ... }, not ${name} = ...`);
    if (attribute && found?.block) problems.push(`${line(at)}: ${where.path}.${name} is an argument: write ${name} = ..., not a block`);
    if (block && found?.block)
      for (const nested of asArray(value).filter(isObject))
        problems.push(...checkBody(nested, block.schema, { ...where, at, path: `${where.path}.${name}` }, false));
  }
  for (const [name, specs] of Object.entries(dynamic)) {
    const block = schema.blocks[name];
    const at = where.text.find(name, where.at)?.line ?? where.at;
    if (!block) {
      problems.push(`${line(at)}: ${where.path} has no block "${name}" in the AWS provider (dynamic "${name}")`);
      continue;
    }
    for (const spec of specs)
      for (const content of asArray(spec.content).filter(isObject))
        problems.push(...checkBody(content, block.schema, { ...where, at, path: `${where.path}.${name}` }, false));
  }
  for (const [name, attribute] of Object.entries(schema.attributes))
    if (attribute.required && !(name in body)) problems.push(`${line(where.at)}: ${where.path} misses the required argument "${name}"`);
  for (const [name, block] of Object.entries(schema.blocks))
    if (block.required && !(name in body) && !(name in dynamic)) problems.push(`${line(where.at)}: ${where.path} misses the required block "${name}"`);
  return problems;
}

/** Every AWS resource and data block of the model against the provider's schema. `texts` (path under terraform/ => text) locates lines. */
export function checkProviderArguments(
  model: TerraformModel,
  texts: (file: string) => string = (file) => readFileSync(join(TERRAFORM_DIR, file), 'utf8'),
): Problems {
  const problems: Problems = [];
  for (const [file, parsed] of Object.entries(model.files)) {
    const text = new FileText(texts(file));
    for (const mode of ['resource', 'data'] as const) {
      const byType = parsed[mode];
      if (!isObject(byType)) continue;
      for (const [type, byName] of Object.entries(byType)) {
        if (!type.startsWith('aws_') || !isObject(byName)) continue;
        const schema = providerSchema(type, mode);
        for (const [name, bodies] of Object.entries(byName)) {
          const at = text.header(mode, type, name);
          if (!schema) {
            problems.push(`terraform/${file}:${at + 1}: the AWS provider has no ${mode === 'data' ? 'data source' : 'resource type'} ${type}`);
            continue;
          }
          for (const body of asArray(bodies).filter(isObject))
            problems.push(...checkBody(body, schema, { file: `terraform/${file}`, text, at, path: `${mode === 'data' ? 'data.' : ''}${type}.${name}` }, true));
        }
      }
    }
  }
  return problems;
}
