import { join, posix } from 'node:path';
import { evaluate, force, withNames, type Scope } from './hcl-evaluate.ts';
import { HclError, Lazy, parseExpression, parseValue, type Expr, type HclValue } from './hcl-expression.ts';
import { isObject, TERRAFORM_DIR, type Json, type JsonObject, type TerraformModel } from './terraform-model.ts';

/*
 * Renders the configuration as `terraform plan` would see it for one stage,
 * without a terraform binary or an AWS account: the stage root's variables
 * from its <stage>.tfvars, modules instantiated with their arguments, locals,
 * for_each/count instances, and the values AWS would compute (ARNs, URLs)
 * from names, the provider's region and a placeholder account. Everything is
 * evaluated lazily, so only what a check reads must be computable.
 */

/** The placeholder account id of a rendered stage. */
export const RENDER_ACCOUNT = '123456789012';

/** One rendered resource or data instance. */
export interface Instance {
  /** `module.migration.module.functions.aws_iam_role.this["consumer"]` */
  address: string;
  dir: string;
  mode: 'resource' | 'data';
  type: string;
  name: string;
  key: string | number | undefined;
  attributes: Lazy;
  /** The block's body and the scope its expressions evaluate in (each.key, count.index set). */
  body: JsonObject;
  scope: Scope;
}

/** A rendered module: its instances, and those of every module it calls. */
export interface RenderedModule {
  address: string;
  dir: string;
  scope: Scope;
  /** Every instance of the given types (all types when none are given), this module's and its children's. */
  instances(types?: readonly string[]): Instance[];
  outputs: Lazy;
}

interface Context {
  model: TerraformModel;
  region: string;
  account: string;
  /** Variable values that replace what a module's caller passes, by module folder (a build output the static checks do not have). */
  overrides: Record<string, Record<string, HclValue>>;
}

function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function dirOf(file: string): string {
  const dir = posix.dirname(file);
  return dir === '.' ? '' : dir;
}

/** Blocks of one kind in one module folder: `[label..., body]`. */
function blocksOf(model: TerraformModel, dir: string, kind: string): { labels: string[]; body: JsonObject }[] {
  const found: { labels: string[]; body: JsonObject }[] = [];
  for (const [file, parsed] of Object.entries(model.files)) {
    if (dirOf(file) !== dir) continue;
    const byFirst = parsed[kind];
    if (!isObject(byFirst)) continue;
    for (const [first, inner] of Object.entries(byFirst)) {
      if (kind === 'resource' || kind === 'data') {
        if (!isObject(inner)) continue;
        for (const [second, bodies] of Object.entries(inner))
          for (const body of asArray(bodies)) if (isObject(body)) found.push({ labels: [first, second], body });
      } else for (const body of asArray(inner)) if (isObject(body)) found.push({ labels: [first], body });
    }
  }
  return found;
}

/** Memoised lazy values with a cycle check. */
function memo(label: string, compute: (name: string) => HclValue): (name: string) => HclValue {
  const values = new Map<string, HclValue>();
  const computing = new Set<string>();
  return (name) => {
    if (values.has(name)) return values.get(name)!;
    if (computing.has(name)) throw new HclError(`${label}.${name} refers to itself`);
    computing.add(name);
    try {
      const value = compute(name);
      values.set(name, value);
      return value;
    } finally {
      computing.delete(name);
    }
  };
}

// ---------------------------------------------------------------------------
// Variable types: optional attributes get their defaults, as Terraform's type conversion does.

function applyType(type: Expr, value: HclValue, scope: Scope): HclValue {
  if (value === null || type.kind !== 'call') return value;
  const [inner] = type.args;
  if ((type.name === 'map' || type.name === 'list' || type.name === 'set') && inner) {
    if (Array.isArray(value)) return value.map((item) => applyType(inner, item, scope));
    if (typeof value === 'object' && !(value instanceof Lazy))
      return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, applyType(inner, item, scope)]));
  }
  if (type.name === 'object' && inner?.kind === 'object' && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Lazy)) {
    const result: Record<string, HclValue> = { ...value };
    for (const { key, value: attributeType } of inner.items) {
      const name = String(evaluate(key, scope));
      if (result[name] === undefined || result[name] === null) {
        if (attributeType.kind === 'call' && attributeType.name === 'optional')
          result[name] = attributeType.args[1] ? evaluate(attributeType.args[1], scope) : null;
      } else
        result[name] = applyType(
          attributeType.kind === 'call' && attributeType.name === 'optional' ? attributeType.args[0]! : attributeType,
          result[name]!,
          scope,
        );
    }
    return result;
  }
  return value;
}

function typeOf(body: JsonObject): Expr | undefined {
  return typeof body.type === 'string' ? parseExpression(body.type.replace(/^\$\{([\s\S]*)\}$/, '$1')) : undefined;
}

// ---------------------------------------------------------------------------
// Values AWS computes, by resource type: from the instance's own arguments.

type Computed = (get: (name: string) => HclValue, context: Context) => Record<string, () => HclValue>;

const arn = (context: Context, service: string, resource: string, region = true): string =>
  `arn:aws:${service}:${region ? context.region : ''}:${region ? context.account : ''}:${resource}`;

const COMPUTED: Record<string, Computed> = {
  aws_dynamodb_table: (get, c) => ({ arn: () => arn(c, 'dynamodb', `table/${String(get('name'))}`), id: () => get('name') }),
  aws_sqs_queue: (get, c) => ({
    arn: () => arn(c, 'sqs', String(get('name'))),
    url: () => `https://sqs.${c.region}.amazonaws.com/${c.account}/${String(get('name'))}`,
    id: () => `https://sqs.${c.region}.amazonaws.com/${c.account}/${String(get('name'))}`,
  }),
  aws_s3_bucket: (get) => ({ arn: () => `arn:aws:s3:::${String(get('bucket'))}`, id: () => get('bucket') }),
  aws_cloudwatch_log_group: (get, c) => ({ arn: () => arn(c, 'logs', `log-group:${String(get('name'))}`), id: () => get('name') }),
  aws_lambda_function: (get, c) => ({ arn: () => arn(c, 'lambda', `function:${String(get('function_name'))}`), id: () => get('function_name') }),
  aws_iam_role: (get, c) => ({ arn: () => `arn:aws:iam::${c.account}:role/${String(get('name'))}`, id: () => get('name') }),
  aws_sfn_state_machine: (get, c) => ({ arn: () => arn(c, 'states', `stateMachine:${String(get('name'))}`), id: () => get('name') }),
  aws_ssm_parameter: (get, c) => ({ arn: () => arn(c, 'ssm', `parameter${String(get('name'))}`), id: () => get('name') }),
  aws_sns_topic: (get, c) => ({ arn: () => arn(c, 'sns', String(get('name'))), id: () => arn(c, 'sns', String(get('name'))) }),
  aws_cloudwatch_metric_alarm: (get, c) => ({ arn: () => arn(c, 'cloudwatch', `alarm:${String(get('alarm_name'))}`) }),
  // Dashboards are global: no region in their ARN.
  aws_cloudwatch_dashboard: (get, c) => ({ dashboard_arn: () => `arn:aws:cloudwatch::${c.account}:dashboard/${String(get('dashboard_name'))}` }),
  aws_lambda_event_source_mapping: () => ({ uuid: () => '00000000-0000-0000-0000-000000000000' }),
  aws_caller_identity: (_get, c) => ({ account_id: () => c.account }),
  aws_region: (_get, c) => ({ name: () => c.region, region: () => c.region }),
  aws_partition: () => ({ partition: () => 'aws', dns_suffix: () => 'amazonaws.com' }),
  archive_file: (get) => ({ output_base64sha256: () => 'static-render', output_path: () => get('output_path') }),
};

/** Blocks of one name inside a body, static and `dynamic`, each with the scope its content evaluates in. */
export function expandBlocks(body: JsonObject, name: string, scope: Scope): { body: JsonObject; scope: Scope }[] {
  const found: { body: JsonObject; scope: Scope }[] = asArray(body[name])
    .filter(isObject)
    .map((block) => ({ body: block, scope }));
  for (const dynamic of asArray(body.dynamic).filter(isObject)) {
    for (const spec of asArray(dynamic[name]).filter(isObject)) {
      const iterator = typeof spec.iterator === 'string' ? spec.iterator : name;
      const collection = evaluate(parseValue(spec.for_each), scope);
      const items: [HclValue, HclValue][] = Array.isArray(collection)
        ? collection.map((v) => [v, v])
        : Object.entries(force(collection) as Record<string, HclValue>);
      for (const [key, value] of items) {
        for (const content of asArray(spec.content).filter(isObject)) found.push({ body: content, scope: withNames(scope, { [iterator]: { key, value } }) });
      }
    }
  }
  return found;
}

/** The nested blocks of one name of an instance (static and `dynamic`), evaluated. */
export function blockValues(instance: { body: JsonObject; scope: Scope }, name: string): Record<string, HclValue>[] {
  return expandBlocks(instance.body, name, instance.scope).map((block) => force(evaluate(parseValue(block.body), block.scope)) as Record<string, HclValue>);
}

/** The IAM JSON an aws_iam_policy_document renders: statements, conditions and principals. */
export function policyDocumentJson(body: JsonObject, scope: Scope): string {
  const value = (item: { body: JsonObject; scope: Scope }, name: string): HclValue | undefined =>
    name in item.body ? evaluate(parseValue(item.body[name]), item.scope) : undefined;
  const statements = expandBlocks(body, 'statement', scope).map((statement) => {
    const conditions: Record<string, Record<string, HclValue>> = {};
    for (const condition of expandBlocks(statement.body, 'condition', statement.scope)) {
      const test = String(value(condition, 'test'));
      conditions[test] = { ...conditions[test], [String(value(condition, 'variable'))]: value(condition, 'values')! };
    }
    const principals: Record<string, HclValue> = {};
    for (const principal of expandBlocks(statement.body, 'principals', statement.scope))
      principals[String(value(principal, 'type'))] = value(principal, 'identifiers')!;
    const sid = value(statement, 'sid');
    const actions = value(statement, 'actions');
    const resources = value(statement, 'resources');
    return {
      ...(sid ? { Sid: sid } : {}),
      Effect: value(statement, 'effect') ?? 'Allow',
      ...(Object.keys(principals).length ? { Principal: principals } : {}),
      ...(actions ? { Action: actions } : {}),
      ...(resources ? { Resource: resources } : {}),
      ...(Object.keys(conditions).length ? { Condition: conditions } : {}),
    };
  });
  return JSON.stringify(force({ Version: '2012-10-17', Statement: statements } as HclValue));
}

// ---------------------------------------------------------------------------
// Modules

function instancesOf(
  context: Context,
  module: { address: string; dir: string },
  mode: 'resource' | 'data',
  type: string,
  name: string,
  body: JsonObject,
  scope: Scope,
): Instance[] {
  const base = `${module.address ? `${module.address}.` : ''}${mode === 'data' ? 'data.' : ''}${type}.${name}`;
  const make = (key: string | number | undefined, instanceScope: Scope): Instance => {
    const argument = memo(base, (attribute) => {
      if (attribute in body && !['for_each', 'count', 'depends_on', 'lifecycle', 'provider', 'dynamic'].includes(attribute))
        return evaluate(parseValue(body[attribute]), instanceScope);
      if (mode === 'data' && type === 'aws_iam_policy_document' && attribute === 'json') return policyDocumentJson(body, instanceScope);
      const computed = COMPUTED[type]?.(argument, context)[attribute];
      if (computed) return computed();
      if (attribute === 'id' && 'name' in body) return argument('name');
      throw new HclError(`${base}: attribute "${attribute}" is not known before apply to the static renderer`);
    });
    const names = () => [
      ...Object.keys(body).filter((n) => !['for_each', 'count', 'dynamic', 'lifecycle', 'depends_on'].includes(n)),
      ...Object.keys(COMPUTED[type]?.(argument, context) ?? {}),
    ];
    const address = key === undefined ? base : `${base}[${JSON.stringify(key)}]`;
    return { address, dir: module.dir, mode, type, name, key, attributes: new Lazy(address, argument, names), body, scope: instanceScope };
  };
  if ('for_each' in body) {
    const collection = force(evaluate(parseValue(body.for_each), scope));
    const items: [string, HclValue][] = Array.isArray(collection)
      ? collection.map((v) => [String(v), v])
      : Object.entries(collection as Record<string, HclValue>);
    return items.map(([key, value]) => make(key, withNames(scope, { each: { key, value } })));
  }
  if ('count' in body) {
    const count = Number(evaluate(parseValue(body.count), scope));
    return Array.from({ length: count }, (_, index) => make(index, withNames(scope, { count: { index } })));
  }
  return [make(undefined, scope)];
}

/** Instantiates the module in folder `dir` (under terraform/) with argument thunks. */
export function renderModule(context: Context, address: string, dir: string, args: Record<string, () => HclValue>): RenderedModule {
  const { model } = context;
  const variables = new Map(blocksOf(model, dir, 'variable').map(({ labels, body }) => [labels[0]!, body]));
  const locals: JsonObject = {};
  for (const [file, parsed] of Object.entries(model.files))
    if (dirOf(file) === dir) for (const block of asArray(parsed.locals)) if (isObject(block)) Object.assign(locals, block);
  let scope: Scope = () => undefined;
  const variable = memo(`${address} var`, (name) => {
    const body = variables.get(name);
    if (!body) throw new HclError(`${dir || 'the root'}: no variable "${name}"`);
    const given = context.overrides[dir]?.[name] ?? args[name]?.();
    const value = given !== undefined && given !== null ? given : 'default' in body ? evaluate(parseValue(body.default), () => undefined) : undefined;
    if (value === undefined) throw new HclError(`${dir || 'the root'}: variable "${name}" has no value`);
    const type = typeOf(body);
    return type ? applyType(type, value, scope) : value;
  });
  const local = memo(`${address} local`, (name) => {
    if (!(name in locals)) throw new HclError(`${dir || 'the root'}: no local "${name}"`);
    return evaluate(parseValue(locals[name]), scope);
  });
  const typed = (mode: 'resource' | 'data') => {
    const byType = new Map<string, Map<string, JsonObject>>();
    for (const { labels, body } of blocksOf(model, dir, mode)) {
      if (!byType.has(labels[0]!)) byType.set(labels[0]!, new Map());
      byType.get(labels[0]!)!.set(labels[1]!, body);
    }
    return byType;
  };
  const resources = typed('resource');
  const data = typed('data');
  const instanceCache = new Map<string, Instance[]>();
  const instances = (mode: 'resource' | 'data', type: string, name: string): Instance[] => {
    const id = `${mode}.${type}.${name}`;
    if (!instanceCache.has(id)) {
      const body = (mode === 'resource' ? resources : data).get(type)?.get(name);
      if (!body) throw new HclError(`${dir || 'the root'}: no ${mode} ${type}.${name}`);
      instanceCache.set(id, instancesOf(context, { address, dir }, mode, type, name, body, scope));
    }
    return instanceCache.get(id)!;
  };
  const reference = (mode: 'resource' | 'data', type: string, name: string): HclValue => {
    const body = (mode === 'resource' ? resources : data).get(type)!.get(name)!;
    const found = instances(mode, type, name);
    if ('for_each' in body) return Object.fromEntries(found.map((i) => [String(i.key), i.attributes]));
    if ('count' in body) return found.map((i) => i.attributes);
    return found[0]!.attributes;
  };
  const calls = new Map(blocksOf(model, dir, 'module').map(({ labels, body }) => [labels[0]!, body]));
  const childModules = new Map<string, RenderedModule>();
  const child = (name: string): RenderedModule => {
    const body = calls.get(name);
    if (!body) throw new HclError(`${dir || 'the root'}: no module "${name}"`);
    if (!childModules.has(name)) {
      const childDir = posix.normalize(posix.join(dir, String(body.source))).replace(/^\.$/, '');
      const childArgs = Object.fromEntries(Object.keys(body).map((arg) => [arg, () => evaluate(parseValue(body[arg]), scope)]));
      childModules.set(name, renderModule(context, `${address ? `${address}.` : ''}module.${name}`, childDir, childArgs));
    }
    return childModules.get(name)!;
  };
  const outputs = new Map(blocksOf(model, dir, 'output').map(({ labels, body }) => [labels[0]!, body]));
  const output = memo(`${address} output`, (name) => {
    const body = outputs.get(name);
    if (!body) throw new HclError(`${dir || 'the root'}: no output "${name}"`);
    return evaluate(parseValue(body.value), scope);
  });
  const modulePath = join(TERRAFORM_DIR, dir);
  scope = (name): HclValue | undefined => {
    if (name === 'var') return new Lazy(`${address} var`, variable, () => [...variables.keys()]);
    if (name === 'local') return new Lazy(`${address} local`, local, () => Object.keys(locals));
    if (name === 'module')
      return new Lazy(
        `${address} module`,
        (n) => child(n).outputs,
        () => [...calls.keys()],
      );
    if (name === 'path') return { module: modulePath, root: modulePath, cwd: modulePath };
    if (name === 'terraform') return { workspace: 'default' };
    if (name === 'data')
      return new Lazy(
        'data',
        (type) =>
          new Lazy(
            `data.${type}`,
            (n) => reference('data', type, n),
            () => [...(data.get(type)?.keys() ?? [])],
          ),
      );
    if (resources.has(name))
      return new Lazy(
        name,
        (n) => reference('resource', name, n),
        () => [...resources.get(name)!.keys()],
      );
    return undefined;
  };
  return {
    address,
    dir,
    scope,
    outputs: new Lazy(`${address} outputs`, output, () => [...outputs.keys()]),
    instances: (types) => {
      const wanted = (type: string) => !types || types.includes(type);
      const own = (mode: 'resource' | 'data', byType: Map<string, Map<string, JsonObject>>) =>
        [...byType.entries()].filter(([type]) => wanted(type)).flatMap(([type, names]) => [...names.keys()].flatMap((n) => instances(mode, type, n)));
      return [...own('resource', resources), ...own('data', data), ...[...calls.keys()].flatMap((name) => child(name).instances(types))];
    },
  };
}

/** Placeholder secrets for a render: the policies never depend on their values, only on their presence. */
export const PLACEHOLDER_SECRETS: Readonly<Record<string, HclValue>> = {
  fiberconnect_tokens: { acme: 'placeholder-token' },
  legacy_db_url: 'mysql://placeholder:placeholder@db.example:3306',
};

/**
 * One stage as planned: the environment root `root` (e.g. environments/stage)
 * with the values of `<stage>.tfvars`, plus placeholder secrets and any extra
 * values (a test's variation). The provider's region comes from the root's
 * `provider "aws"` block.
 */
export function renderStage(model: TerraformModel, root: string, values: Record<string, HclValue>, account = RENDER_ACCOUNT): RenderedModule {
  // `make build` writes dist/profiles.json; the static checks render with the test fixture instead.
  const context: Context = { model, region: 'us-east-1', account, overrides: { '': { profiles_file: join(TERRAFORM_DIR, 'tests/profiles.fixture.json') } } };
  const all: Record<string, HclValue> = { ...PLACEHOLDER_SECRETS, ...values };
  const args = Object.fromEntries(Object.entries(all).map(([name, value]) => [name, () => value]));
  const module = renderModule(context, '', root, args);
  const provider = blocksOf(model, root, 'provider').find(({ labels }) => labels[0] === 'aws');
  if (provider && 'region' in provider.body) context.region = String(evaluate(parseValue(provider.body.region), module.scope));
  return module;
}

/** The values a `<stage>.tfvars` sets, as HCL values. */
export function tfvarsValues(settings: JsonObject): Record<string, HclValue> {
  return Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, evaluate(parseValue(value), () => undefined)]));
}
