import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/*
 * The AWS provider's own schema, read from @cdktf/provider-aws, which
 * HashiCorp generates from `terraform providers schema -json` of one provider
 * release (20.1.0 is hashicorp/aws 5.100.0, the `~> 5.100` of every
 * versions.tf). The package ships no schema JSON, so per resource type it is
 * read from the generated code: lib/<type>/index.js lists every argument and
 * nested block under its Terraform name with `isBlock` (its
 * synthesizeHclAttributes and the `*ToHclTerraform` function of each nested
 * block), and index.d.ts says which are required (the config interfaces'
 * non-optional members). Only the files of the types the configuration uses
 * are read (the package is 360 MB; its 120 MB .jsii would take seconds).
 */

/** Arguments and nested blocks of one block, as the provider defines them. */
export interface BlockSchema {
  attributes: Record<string, { required: boolean }>;
  blocks: Record<string, { required: boolean; schema: BlockSchema }>;
}

/** The provider release the package was generated from (package.json `cdktf.provider.version`). */
export function providerVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { cdktf: { provider: { version: string } } };
  return manifest.cdktf.provider.version;
}

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@cdktf/provider-aws/package.json'));
}

/** lib/ folder of a type: aws_lambda_function => lambda-function, data aws_iam_policy_document => data-aws-iam-policy-document. */
function folderOf(type: string, mode: 'resource' | 'data'): string {
  const base = type.replace(/^aws_/, '').replace(/_/g, '-');
  return join(packageDir(), 'lib', mode === 'data' ? `data-aws-${base}` : base);
}

interface Attrs {
  /** Terraform name => the generated code's name, whether it is a block, and the function of its nested block. */
  [name: string]: { camel: string; isBlock: boolean; nested: string | undefined };
}

/** `const attrs = { name: { value: ..., isBlock: ... } }` of a function or method body. */
function attrsOf(body: ts.Node): Attrs {
  let literal: ts.ObjectLiteralExpression | undefined;
  const find = (node: ts.Node): void => {
    if (!literal && ts.isVariableDeclaration(node) && node.name.getText() === 'attrs' && node.initializer && ts.isObjectLiteralExpression(node.initializer))
      literal = node.initializer;
    ts.forEachChild(node, find);
  };
  find(body);
  const attrs: Attrs = {};
  for (const property of literal?.properties ?? []) {
    if (!ts.isPropertyAssignment(property) || !ts.isObjectLiteralExpression(property.initializer)) continue;
    const fields = Object.fromEntries(property.initializer.properties.filter(ts.isPropertyAssignment).map((p) => [p.name.getText(), p.initializer.getText()]));
    const value = fields.value ?? '';
    const camel = /(?:struct|this)\??\.(?:_)?([A-Za-z0-9]+)/.exec(value)?.[1] ?? '';
    const nested = /(?<!cdktf\.)\b([a-z][A-Za-z0-9]*ToHclTerraform)\b/.exec(value)?.[1];
    attrs[property.name.getText().replace(/^"|"$/g, '')] = { camel, isBlock: fields.isBlock === 'true', nested };
  }
  return attrs;
}

interface Declarations {
  /** Interface name => member name => optional. */
  interfaces: Map<string, Map<string, boolean>>;
  /** `*ToHclTerraform` function => the interface of its parameter. */
  structOf: Map<string, string>;
}

function declarationsOf(text: string): Declarations {
  const file = ts.createSourceFile('index.d.ts', text, ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, Map<string, boolean>>();
  const structOf = new Map<string, string>();
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      interfaces.set(
        statement.name.text,
        new Map(statement.members.filter(ts.isPropertySignature).map((m) => [m.name.getText(), m.questionToken !== undefined])),
      );
    }
    if (ts.isFunctionDeclaration(statement) && statement.name?.text.endsWith('ToHclTerraform')) {
      const type = statement.parameters[0]?.type;
      const name =
        type && ts.isUnionTypeNode(type)
          ? type.types.map((t) => t.getText()).find((t) => !t.startsWith('cdktf.') && !t.endsWith('OutputReference'))
          : type?.getText();
      if (name) structOf.set(statement.name.text, name);
    }
  }
  return { interfaces, structOf };
}

const cache = new Map<string, BlockSchema | undefined>();

/** The schema of a resource or data source type of the AWS provider, or undefined when the provider has no such type. */
export function providerSchema(type: string, mode: 'resource' | 'data'): BlockSchema | undefined {
  const id = `${mode}.${type}`;
  if (!cache.has(id)) cache.set(id, readSchema(type, mode));
  return cache.get(id);
}

function readSchema(type: string, mode: 'resource' | 'data'): BlockSchema | undefined {
  const folder = folderOf(type, mode);
  if (!existsSync(join(folder, 'index.js'))) return undefined;
  const js = readFileSync(join(folder, 'index.js'), 'utf8');
  const className = new RegExp(`(\\w+)\\.tfResourceType = "${type}";`).exec(js)?.[1];
  if (!className) return undefined;
  const source = ts.createSourceFile('index.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const functions = new Map<string, ts.Node>();
  let resourceMethod: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name?.text.endsWith('ToHclTerraform')) functions.set(node.name.text, node);
    if (ts.isClassDeclaration(node) && node.name?.text === className) {
      resourceMethod = node.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === 'synthesizeHclAttributes');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!resourceMethod) return undefined;
  const declarations = declarationsOf(readFileSync(join(folder, 'index.d.ts'), 'utf8'));
  const build = (attrs: Attrs, structName: string, seen: Set<string>): BlockSchema => {
    const members = declarations.interfaces.get(structName) ?? new Map<string, boolean>();
    const schema: BlockSchema = { attributes: {}, blocks: {} };
    for (const [name, { camel, isBlock, nested }] of Object.entries(attrs)) {
      const required = members.has(camel) && members.get(camel) === false;
      if (isBlock && nested && functions.has(nested) && !seen.has(nested)) {
        schema.blocks[name] = { required, schema: build(attrsOf(functions.get(nested)!), declarations.structOf.get(nested) ?? '', new Set([...seen, nested])) };
      } else if (isBlock) schema.blocks[name] = { required, schema: { attributes: {}, blocks: {} } };
      else schema.attributes[name] = { required };
    }
    return schema;
  };
  return build(attrsOf(resourceMethod), `${className}Config`, new Set());
}
