import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { HclError, Lazy, parseExpression, parseTemplate, type Expr, type HclValue } from './hcl-expression.ts';

/*
 * Evaluates parsed HCL expressions with Terraform's semantics for the
 * functions and operators terraform/ uses. Names resolve through a scope
 * function, so a caller can compute `var.*`, `local.*`, resources and modules
 * lazily (tooling/static/terraform-render.ts).
 */

/** Resolves a root name (`var`, `local`, `aws_sqs_queue`, `each`, a for variable). */
export type Scope = (name: string) => HclValue | undefined;

/** A scope with more names in front (for-expression and splat variables). */
export function withNames(scope: Scope, names: Record<string, HclValue>): Scope {
  return (name) => (name in names ? names[name] : scope(name));
}

function isObject(value: HclValue): value is { [key: string]: HclValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Lazy);
}

/** Lazy objects as plain objects, deeply: what jsonencode and comparisons see. */
export function force(value: HclValue): HclValue {
  if (value instanceof Lazy) return force(value.toObject());
  if (Array.isArray(value)) return value.map(force);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, force(item)]));
  return value;
}

function attribute(target: HclValue, name: string): HclValue {
  if (target instanceof Lazy) return target.get(name);
  if (isObject(target)) {
    if (!(name in target)) throw new HclError(`unsupported attribute "${name}" (has ${Object.keys(target).join(', ')})`);
    return target[name]!;
  }
  throw new HclError(`cannot read attribute "${name}" of ${JSON.stringify(target)}`);
}

function index(target: HclValue, key: HclValue): HclValue {
  if (Array.isArray(target)) {
    const item = target[Number(key)];
    if (item === undefined) throw new HclError(`index ${String(key)} out of range`);
    return item;
  }
  return attribute(target, String(key));
}

function toText(value: HclValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new HclError(`cannot use ${JSON.stringify(force(value))} in a string template`);
}

/** Elements of a collection with their keys (lists: index, maps: key), as for-expressions iterate. */
function entries(value: HclValue): [HclValue, HclValue][] {
  if (Array.isArray(value)) return value.map((item, i) => [i, item]);
  if (value instanceof Lazy) return Object.entries(value.toObject());
  if (isObject(value)) return Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  throw new HclError(`cannot iterate over ${JSON.stringify(value)}`);
}

function equal(a: HclValue, b: HclValue): boolean {
  return JSON.stringify(force(a)) === JSON.stringify(force(b));
}

function binary(op: string, left: () => HclValue, right: () => HclValue): HclValue {
  if (op === '&&') return Boolean(left()) && Boolean(right());
  if (op === '||') return Boolean(left()) || Boolean(right());
  const a = left();
  const b = right();
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return Number(a) < Number(b);
    case '<=':
      return Number(a) <= Number(b);
    case '>':
      return Number(a) > Number(b);
    case '>=':
      return Number(a) >= Number(b);
    case '+':
      return Number(a) + Number(b);
    case '-':
      return Number(a) - Number(b);
    case '*':
      return Number(a) * Number(b);
    case '/':
      return Number(a) / Number(b);
    case '%':
      return Number(a) % Number(b);
  }
  throw new HclError(`unknown operator ${op}`);
}

const set = (values: HclValue[]): HclValue[] => {
  const seen = new Map<string, HclValue>();
  for (const value of values) seen.set(JSON.stringify(force(value)), value);
  return [...seen.values()];
};

const sortedKeys = (value: HclValue): string[] => entries(value).map(([key]) => String(key));

/** Terraform's built-in functions that terraform/ calls (file paths are relative to the working directory). */
const FUNCTIONS: Record<string, (...args: HclValue[]) => HclValue> = {
  merge: (...maps) => Object.assign({}, ...maps.filter((m) => m !== null).map((m) => (m instanceof Lazy ? m.toObject() : m))) as HclValue,
  concat: (...lists) => lists.flatMap((list) => list as HclValue[]),
  flatten: (list) => (list as HclValue[]).flat(Infinity as 1) as HclValue[],
  distinct: (list) => set(list as HclValue[]),
  toset: (list) => set(list as HclValue[]),
  tolist: (list) => list,
  tomap: (map) => map,
  tostring: (value) => (value === null ? null : toText(value)),
  tonumber: (value) => (value === null ? null : Number(value)),
  keys: (map) => sortedKeys(map),
  values: (map) => entries(map).map(([, value]) => value),
  length: (value) => (typeof value === 'string' ? value.length : entries(value).length),
  contains: (list, value) => (list as HclValue[]).some((item) => equal(item, value)),
  coalesce: (...values) => {
    const found = values.find((value) => value !== null && value !== '');
    if (found === undefined) throw new HclError('coalesce: no non-null argument');
    return found;
  },
  one: (list) => {
    const items = list as HclValue[];
    if (items.length > 1) throw new HclError('one: more than one element');
    return items[0] ?? null;
  },
  lookup: (map, key, fallback) => (isObject(map) && String(key) in map ? map[String(key)]! : (fallback ?? null)),
  jsonencode: (value) => JSON.stringify(force(value)),
  jsondecode: (text) => JSON.parse(String(text)) as HclValue,
  file: (path) => readFileSync(String(path), 'utf8'),
  // The templates' only directive is `${name}`: a template is evaluated as HCL template text with the given variables.
  templatefile: (path, variables) =>
    evaluate(parseTemplateValue(readFileSync(String(path), 'utf8')), (name) => (isObject(variables) ? variables[name] : undefined)),
  basename: (path) => basename(String(path)),
  join: (separator, list) => (list as HclValue[]).map(toText).join(String(separator)),
  split: (separator, text) => String(text).split(String(separator)),
  replace: (text, search, replacement) => String(text).split(String(search)).join(String(replacement)),
  lower: (text) => String(text).toLowerCase(),
  upper: (text) => String(text).toUpperCase(),
  format: (spec, ...args) => {
    let i = 0;
    return String(spec).replace(/%[sd]/g, () => toText(args[i++] ?? ''));
  },
  max: (...numbers) => Math.max(...numbers.map(Number)),
  min: (...numbers) => Math.min(...numbers.map(Number)),
  floor: (number) => Math.floor(Number(number)),
  sort: (list) => [...(list as HclValue[])].map(toText).sort(),
  setsubtract: (a, b) => (a as HclValue[]).filter((item) => !(b as HclValue[]).some((other) => equal(item, other))),
  alltrue: (list) => (list as HclValue[]).every(Boolean),
  anytrue: (list) => (list as HclValue[]).some(Boolean),
  startswith: (text, prefix) => String(text).startsWith(String(prefix)),
  endswith: (text, suffix) => String(text).endsWith(String(suffix)),
  nonsensitive: (value) => value,
  sensitive: (value) => value,
  zipmap: (keys, values) => Object.fromEntries((keys as HclValue[]).map((key, i) => [String(key), (values as HclValue[])[i]!])),
};

function parseTemplateValue(text: string): Expr {
  const parts = parseTemplate(text, false);
  return parts.length === 1 && typeof parts[0] === 'string'
    ? { kind: 'literal', value: parts[0] }
    : { kind: 'template', parts: parts.length === 1 ? [...parts, ''] : parts };
}

/** Evaluates an expression in a scope. */
export function evaluate(expr: Expr, scope: Scope): HclValue {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template': {
      // A template that is one interpolation yields the value itself, unconverted.
      if (expr.parts.length === 1 && typeof expr.parts[0] !== 'string') return evaluate(expr.parts[0]!, scope);
      return expr.parts.map((part) => (typeof part === 'string' ? part : toText(evaluate(part, scope)))).join('');
    }
    case 'tuple':
      return expr.items.map((item) => evaluate(item, scope));
    case 'object':
      return Object.fromEntries(expr.items.map(({ key, value }) => [toText(evaluate(key, scope)), evaluate(value, scope)]));
    case 'variable': {
      const value = scope(expr.name);
      if (value === undefined) throw new HclError(`unknown name "${expr.name}"`);
      return value;
    }
    case 'attr':
      return attribute(evaluate(expr.target, scope), expr.name);
    case 'index':
      return index(evaluate(expr.target, scope), evaluate(expr.key, scope));
    case 'splat': {
      const target = evaluate(expr.target, scope);
      const items = target === null ? [] : Array.isArray(target) ? target : [target];
      return items.map((item) => evaluate(expr.each, withNames(scope, { '@anon': item })));
    }
    case 'anon':
      return scope('@anon') ?? null;
    case 'call':
      return call(expr, scope);
    case 'for':
      return forExpression(expr, scope);
    case 'unary': {
      const value = evaluate(expr.operand, scope);
      return expr.op === '!' ? !value : -Number(value);
    }
    case 'binary':
      return binary(
        expr.op,
        () => evaluate(expr.left, scope),
        () => evaluate(expr.right, scope),
      );
    case 'conditional':
      return evaluate(evaluate(expr.condition, scope) ? expr.then : expr.else, scope);
  }
}

function call(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): HclValue {
  if (expr.name === 'try') {
    for (const arg of expr.args) {
      try {
        return evaluate(arg, scope);
      } catch (error) {
        if (!(error instanceof HclError)) throw error;
      }
    }
    throw new HclError('try: no argument could be evaluated');
  }
  if (expr.name === 'can') {
    try {
      evaluate(expr.args[0]!, scope);
      return true;
    } catch (error) {
      if (error instanceof HclError) return false;
      throw error;
    }
  }
  const fn = FUNCTIONS[expr.name];
  if (!fn) throw new HclError(`function ${expr.name}() is not supported by the static renderer`);
  const args = expr.args.map((arg) => evaluate(arg, scope));
  if (expr.expand) args.push(...((args.pop() ?? []) as HclValue[]));
  return fn(...args);
}

function forExpression(expr: Extract<Expr, { kind: 'for' }>, scope: Scope): HclValue {
  const results: [HclValue, HclValue][] = [];
  for (const [key, value] of entries(evaluate(expr.collection, scope))) {
    const inner = withNames(scope, { ...(expr.keyVar ? { [expr.keyVar]: key } : {}), [expr.valueVar]: value });
    if (expr.condition && !evaluate(expr.condition, inner)) continue;
    results.push([expr.key ? evaluate(expr.key, inner) : key, evaluate(expr.value, inner)]);
  }
  if (!expr.object) return results.map(([, value]) => value);
  const object: Record<string, HclValue> = {};
  for (const [key, value] of results) {
    const name = toText(key);
    if (expr.group) object[name] = [...((object[name] as HclValue[] | undefined) ?? []), value];
    else if (name in object) throw new HclError(`duplicate object key "${name}" in a for expression`);
    else object[name] = value;
  }
  return object;
}

/** Parses and evaluates expression text (a test convenience and for `${...}`-free callers). */
export function evaluateText(text: string, scope: Scope): HclValue {
  return evaluate(parseExpression(text), scope);
}
