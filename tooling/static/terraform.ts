import aslValidator from 'asl-validator';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import defaultProfile from '../../profiles/default.json' with { type: 'json' };
import { COLLECTIONS } from '../../src/domain/index.ts';
import { TABLE_KEYS } from '../../src/ledger/index.ts';
import { renderTemplate, STATEMACHINES_DIR, templateNames, templateVariables } from '../statemachines/render.ts';
import type { RenderedModule } from './terraform-render.ts';

import {
  FUNCTIONS_DIR,
  type Json,
  type JsonObject,
  type Problems,
  REPO_ROOT,
  STAGE_ROOT,
  type TerraformModel,
  asArray,
  boundVariables,
  dirOf,
  firstBlock,
  isObject,
  labelledBlocks,
  moduleLocals,
  namedBlocks,
  refersTo,
  renderedTemplates,
  templatefileCalls,
} from './terraform-model.ts';
/*
 * Static checks of terraform/ that need no terraform binary: each check takes
 * the parsed model (terraform-model.ts) and returns its problems, one precise
 * sentence each. Tests feed broken copies.
 */
// ---------------------------------------------------------------------------
// Every functions/ folder has its Lambda

/** Handler folders under functions/ (those with an index.ts). */
export function functionFolders(dir = FUNCTIONS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
}

/** Timeout and memory of one handler, as functions/settings.json holds them. */
export interface FunctionSettings {
  timeoutSeconds: number;
  memorySizeMb: number;
}

/** functions/settings.json: timeout and memory by handler, which Terraform (local.function_settings) and the local runtime read. */
export const FUNCTION_SETTINGS_FILE = join(FUNCTIONS_DIR, 'settings.json');

export function readFunctionSettings(file = FUNCTION_SETTINGS_FILE): Record<string, FunctionSettings> {
  return (JSON.parse(readFileSync(file, 'utf8')) as { functions: Record<string, FunctionSettings> }).functions;
}

/**
 * The root's function map as terraform/main.tf builds `local.functions`:
 * each handler of `local.function_access` (grants; the consumer's reserved
 * concurrency) with its `timeout` and `memory_size` from functions/settings.json.
 */
export function rootFunctions(model: TerraformModel, settings: Readonly<Record<string, FunctionSettings>> = readFunctionSettings()): JsonObject | undefined {
  const access = moduleLocals(model, '').function_access;
  if (!isObject(access)) return undefined;
  return Object.fromEntries(
    Object.entries(access).map(([handler, body]) => {
      const own = settings[handler];
      return [handler, { ...(isObject(body) ? body : {}), ...(own ? { timeout: own.timeoutSeconds, memory_size: own.memorySizeMb } : {}) }];
    }),
  );
}

export function checkFunctionsCovered(
  model: TerraformModel,
  handlers: readonly string[] = functionFolders(),
  settings: Readonly<Record<string, FunctionSettings>> = readFunctionSettings(),
): Problems {
  const functions = rootFunctions(model, settings);
  if (!functions) return ['terraform/main.tf: local.function_access (handler => grants) is missing or not an object literal'];
  const problems: Problems = [];
  for (const handler of handlers) {
    if (!(handler in functions)) problems.push(`functions/${handler} has no Lambda: terraform/main.tf local.function_access does not list "${handler}"`);
    if (!(handler in settings)) problems.push(`functions/${handler} has no timeout and memory: functions/settings.json does not list "${handler}"`);
  }
  for (const handler of Object.keys(functions)) {
    if (!handlers.includes(handler)) problems.push(`terraform/main.tf local.function_access lists "${handler}", but there is no functions/${handler}/index.ts`);
  }
  for (const handler of Object.keys(settings)) {
    if (!handlers.includes(handler)) problems.push(`functions/settings.json lists "${handler}", but there is no functions/${handler}/index.ts`);
  }
  const module = namedBlocks(model, 'module', '').find((block) => block.name === 'functions');
  if (!module) problems.push('terraform/main.tf: module "functions" is missing');
  else if (module.body.functions !== '${local.functions}') problems.push('terraform/main.tf: module "functions" must be given functions = local.functions');
  const lambda = labelledBlocks(model, 'resource', 'aws_lambda_function', 'modules/functions').find((block) => block.name === 'this');
  if (!lambda) problems.push('modules/functions: resource aws_lambda_function.this is missing');
  else if (lambda.body.for_each !== '${var.functions}')
    problems.push('modules/functions: aws_lambda_function.this must have for_each = var.functions (one Lambda per handler)');
  return problems;
}

/** Every Lambda of a rendered stage against functions/settings.json: the timeout and memory it has, and that it has them from there. */
export function checkFunctionSettings(stage: RenderedModule, settings: Readonly<Record<string, FunctionSettings>> = readFunctionSettings()): Problems {
  const problems: Problems = [];
  for (const lambda of stage.instances(['aws_lambda_function'])) {
    const handler = String(lambda.key);
    const rendered = { timeoutSeconds: lambda.attributes.get('timeout'), memorySizeMb: lambda.attributes.get('memory_size') };
    const own = settings[handler];
    if (!own || rendered.timeoutSeconds !== own.timeoutSeconds || rendered.memorySizeMb !== own.memorySizeMb)
      problems.push(
        `${lambda.address}: timeout ${String(rendered.timeoutSeconds)} s and ${String(rendered.memorySizeMb)} MB, but functions/settings.json says ${own ? `${own.timeoutSeconds} s and ${own.memorySizeMb} MB` : 'nothing'}`,
      );
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Every templatefile variable of every template is bound

/** Template texts by name (statemachines/<name>.json). */
export function loadTemplates(dir = STATEMACHINES_DIR): Record<string, string> {
  return Object.fromEntries(templateNames(dir).map((name) => [name, readFileSync(join(dir, `${name}.json`), 'utf8')]));
}

function templateName(file: string): string | undefined {
  return resolve(dirname(file)) === resolve(STATEMACHINES_DIR) && file.endsWith('.json') ? file.slice(dirname(file).length + 1, -'.json'.length) : undefined;
}

export function checkTemplateVariables(model: TerraformModel, templates: Readonly<Record<string, string>> = loadTemplates()): Problems {
  const problems: Problems = [];
  const calls = templatefileCalls(model);
  const rendered = new Set<string>();
  if (calls.length === 0) problems.push('no templatefile(...) call renders statemachines/*.json');
  for (const call of calls) {
    const bound = boundVariables(model, call);
    const files = renderedTemplates(model, call);
    if ('error' in bound) problems.push(bound.error);
    if ('error' in files) problems.push(files.error);
    if ('error' in bound || 'error' in files) continue;
    for (const { key, file } of files.templates) {
      const name = templateName(file);
      const text = name === undefined ? undefined : templates[name];
      if (name === undefined || text === undefined) {
        problems.push(
          `${call.block.file}: ${call.block.type}.${call.block.name}[${JSON.stringify(key)}] renders ${relative(REPO_ROOT, file)}, which is not a template in statemachines/`,
        );
        continue;
      }
      rendered.add(name);
      for (const variable of templateVariables(text)) {
        if (!(variable in bound.bindings))
          problems.push(
            `statemachines/${name}.json uses \${${variable}}, which ${call.block.file} does not bind in templatefile(..., ${call.variables.trim()})`,
          );
      }
    }
  }
  for (const name of Object.keys(templates))
    if (!rendered.has(name)) problems.push(`statemachines/${name}.json has no state machine: no templatefile(...) renders it`);
  return problems;
}

// ---------------------------------------------------------------------------
// Rendered templates are valid ASL and only reference what the stack creates

/** Placeholder account and region of the rendered definitions. */
const PLACEHOLDER = { region: 'eu-west-1', account: '123456789012', prefix: 'fiberplan-migration-static' } as const;
export const placeholderFunctionArn = (handler: string): string =>
  `arn:aws:lambda:${PLACEHOLDER.region}:${PLACEHOLDER.account}:function:${PLACEHOLDER.prefix}-${handler}`;
export const placeholderStateMachineArn = (name: string): string =>
  `arn:aws:states:${PLACEHOLDER.region}:${PLACEHOLDER.account}:stateMachine:${PLACEHOLDER.prefix}-${name}`;

function collectArns(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/arn:aws[a-z-]*:(?:lambda|states):[a-z0-9-]*:[0-9]*:(?:function|stateMachine):[A-Za-z0-9_-]+/g)) out.add(match[0]);
  } else if (Array.isArray(value)) for (const item of value) collectArns(item, out);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) collectArns(item, out);
}

export function checkRenderedTemplates(model: TerraformModel, templates: Readonly<Record<string, string>> = loadTemplates()): Problems {
  const problems: Problems = [];
  const functions = Object.keys(rootFunctions(model) ?? {});
  const calls = templatefileCalls(model).flatMap((call) => {
    const bound = boundVariables(model, call);
    const files = renderedTemplates(model, call);
    // Unreadable calls are reported by checkTemplateVariables.
    return 'error' in bound || 'error' in files ? [] : [{ call, bindings: bound.bindings, templates: files.templates }];
  });
  // What the stack creates: a Lambda per local.functions entry, a state machine per rendered template.
  const machines = calls.flatMap(({ templates: rendered }) => rendered.map(({ key }) => key).filter(Boolean));
  const created = new Set<string>([...functions.map(placeholderFunctionArn), ...machines.map(placeholderStateMachineArn)]);
  for (const { call, bindings, templates: rendered } of calls) {
    // A placeholder ARN per binding, from the expression it is bound to.
    const values: Record<string, string> = {};
    for (const [variable, expression] of Object.entries(bindings)) {
      const text = typeof expression === 'string' ? expression : JSON.stringify(expression);
      const fn = /^\$\{var\.function_arns\["([A-Za-z0-9_-]+)"\]\}$/.exec(text);
      const sm = /^\$\{local\.state_machine_arn_prefix\}([A-Za-z0-9_-]+)$/.exec(text);
      if (fn) values[variable] = placeholderFunctionArn(fn[1]!);
      else if (sm) values[variable] = placeholderStateMachineArn(sm[1]!);
      else
        problems.push(`${call.block.file}: ${variable} = ${text} is neither var.function_arns["<handler>"] nor "\${local.state_machine_arn_prefix}<template>"`);
    }
    for (const { file } of rendered) {
      const name = templateName(file);
      const text = name === undefined ? undefined : templates[name];
      if (name === undefined || text === undefined) continue; // reported by checkTemplateVariables
      let definition: object;
      try {
        definition = renderTemplate(`${name}.json`, text, values);
      } catch (error) {
        problems.push(`statemachines/${name}.json does not render: ${(error as Error).message}`);
        continue;
      }
      const result = aslValidator(definition, { checkArn: true, checkPaths: true });
      if (!result.isValid) {
        for (const error of result.errors) problems.push(`statemachines/${name}.json is not valid ASL: ${error.Message ?? JSON.stringify(error)}`);
      }
      const arns = new Set<string>();
      collectArns(definition, arns);
      for (const arn of [...arns].sort()) {
        if (!created.has(arn)) problems.push(`statemachines/${name}.json references ${arn}, which the stack does not create`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Least privilege: no "*" actions, no "*" resources where a narrower one exists

/**
 * Actions AWS only supports on Resource "*" (they have no resource-level
 * permissions), so a statement made only of them may use "*":
 * - CloudWatch Logs vended-log delivery, which Step Functions logging needs
 *   (Step Functions docs, "IAM policies for logging to CloudWatch Logs");
 * - X-Ray trace and sampling calls (X-Ray has no resource-level permissions);
 * - EC2 Describe* calls of a Lambda in a VPC (Describe actions take no resource).
 */
export const STAR_RESOURCE_ACTIONS: ReadonlySet<string> = new Set([
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
]);

/** Every object with `actions` and `resources` (policy document statements, and statement objects kept in locals). */
function statements(value: Json, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) for (const item of value) statements(item, out);
  else if (isObject(value)) {
    if ('actions' in value && 'resources' in value) out.push(value);
    for (const item of Object.values(value)) statements(item, out);
  }
  return out;
}

export function checkLeastPrivilege(model: TerraformModel): Problems {
  const problems: Problems = [];
  for (const [file, parsed] of Object.entries(model.files)) {
    for (const statement of statements(parsed)) {
      if (statement.effect === 'Deny') continue;
      const sid = typeof statement.sid === 'string' ? statement.sid : '(no sid)';
      const actions = asArray(statement.actions).filter((a): a is string => typeof a === 'string');
      const resources = asArray(statement.resources).filter((r): r is string => typeof r === 'string');
      for (const action of actions) {
        if (action === '*' || /^[a-z0-9-]+:\*$/i.test(action)) problems.push(`${file}: statement ${sid} allows every action "${action}"`);
      }
      if (resources.includes('*')) {
        const wide = actions.filter((action) => !STAR_RESOURCE_ACTIONS.has(action));
        if (wide.length > 0) problems.push(`${file}: statement ${sid} allows ${wide.join(', ')} on resource "*" (a narrower resource exists)`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Every data store is encrypted

export function checkEncryption(model: TerraformModel): Problems {
  const problems: Problems = [];
  for (const queue of labelledBlocks(model, 'resource', 'aws_sqs_queue')) {
    // SSE-SQS, or a KMS key; `sqs_managed_sse_enabled = var.k == null ? true : null` with `kms_master_key_id = var.k` is one or the other.
    const sse = queue.body.sqs_managed_sse_enabled;
    const kms = queue.body.kms_master_key_id;
    const eitherOr = typeof kms === 'string' && sse === `\${${kms.replace(/^\$\{|\}$/g, '')} == null ? true : null}`;
    if (sse !== true && !eitherOr && (kms === undefined || sse === false)) {
      problems.push(`${queue.file}: aws_sqs_queue.${queue.name} is not encrypted (set sqs_managed_sse_enabled = true or kms_master_key_id)`);
    }
  }
  for (const table of labelledBlocks(model, 'resource', 'aws_dynamodb_table')) {
    if (firstBlock(table.body, 'server_side_encryption')?.enabled !== true) {
      problems.push(`${table.file}: aws_dynamodb_table.${table.name} has no server_side_encryption { enabled = true }`);
    }
  }
  const configs = labelledBlocks(model, 'resource', 'aws_s3_bucket_server_side_encryption_configuration');
  for (const bucket of labelledBlocks(model, 'resource', 'aws_s3_bucket')) {
    const config = configs.find((c) => c.dir === bucket.dir && refersTo(c.body.bucket, `aws_s3_bucket.${bucket.name}`));
    const algorithm = config && firstBlock(firstBlock(config.body, 'rule') ?? {}, 'apply_server_side_encryption_by_default')?.sse_algorithm;
    if (typeof algorithm !== 'string' || algorithm === '') {
      problems.push(`${bucket.file}: aws_s3_bucket.${bucket.name} has no aws_s3_bucket_server_side_encryption_configuration with an sse_algorithm`);
    }
  }
  for (const parameter of labelledBlocks(model, 'resource', 'aws_ssm_parameter')) {
    const name = String(parameter.body.name ?? '');
    if (/token|legacy-db-url|password|secret/.test(name) && parameter.body.type !== 'SecureString') {
      problems.push(`${parameter.file}: aws_ssm_parameter.${parameter.name} (${name}) holds a secret but is not a SecureString`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// The bucket is private

export function checkBucketPrivate(model: TerraformModel): Problems {
  const problems: Problems = [];
  const buckets = labelledBlocks(model, 'resource', 'aws_s3_bucket');
  if (buckets.length === 0) problems.push('no aws_s3_bucket found');
  for (const bucket of buckets) {
    const address = `aws_s3_bucket.${bucket.name}`;
    const sameModule = (type: string) => labelledBlocks(model, 'resource', type, bucket.dir).filter((block) => refersTo(block.body.bucket, address));
    const block = sameModule('aws_s3_bucket_public_access_block')[0];
    if (!block) problems.push(`${bucket.file}: ${address} has no aws_s3_bucket_public_access_block`);
    else {
      for (const flag of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
        if (block.body[flag] !== true) problems.push(`${block.file}: aws_s3_bucket_public_access_block.${block.name} must set ${flag} = true`);
      }
    }
    const ownership = sameModule('aws_s3_bucket_ownership_controls')[0];
    if (firstBlock(ownership?.body ?? {}, 'rule')?.object_ownership !== 'BucketOwnerEnforced') {
      problems.push(`${bucket.file}: ${address} needs aws_s3_bucket_ownership_controls with object_ownership = "BucketOwnerEnforced" (ACLs off)`);
    }
    const policy = sameModule('aws_s3_bucket_policy')[0];
    const document =
      typeof policy?.body.policy === 'string' ? /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(policy.body.policy)?.[1] : undefined;
    const body =
      document === undefined ? undefined : labelledBlocks(model, 'data', 'aws_iam_policy_document', bucket.dir).find((d) => d.name === document)?.body;
    const denies = asArray(body?.statement)
      .filter(isObject)
      .some((statement) => {
        const conditions = asArray(statement.condition).filter(isObject);
        return (
          statement.effect === 'Deny' &&
          conditions.some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && JSON.stringify(c.values) === '["false"]')
        );
      });
    if (!denies)
      problems.push(`${bucket.file}: ${address} has no bucket policy (aws_iam_policy_document) denying requests without TLS (aws:SecureTransport = false)`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Every variable has type and description, and a default

export function checkVariables(model: TerraformModel): Problems {
  const problems: Problems = [];
  for (const variable of namedBlocks(model, 'variable')) {
    const where = `${variable.file}: variable "${variable.name}"`;
    if (typeof variable.body.type !== 'string') problems.push(`${where} has no type`);
    if (typeof variable.body.description !== 'string' || variable.body.description.trim() === '') problems.push(`${where} has no description`);
    if (!('default' in variable.body)) {
      // Only an environment may require a value: a secret one (passed with TF_VAR_...), or one
      // that every stage's tfvars sets (so that no apply runs without a stage's settings).
      const inEnvironment = variable.file.startsWith('environments/');
      const stages = stageValues(model, variable.dir);
      const setByEveryStage = stages.length > 0 && stages.every((stage) => variable.name in stage.values);
      if (!inEnvironment || (variable.body.sensitive !== true && !setByEveryStage)) {
        problems.push(`${where} has no default (only sensitive variables of environments/, or ones every <stage>.tfvars sets, may be required)`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// The functions module accepts every grant it defines

/**
 * The grant names var.functions' validation accepts are exactly the keys of
 * local.grant_statements: a grant the module defines but the validation does
 * not name is refused by `terraform plan` ("A grant is unknown").
 */
export function checkGrantNames(model: TerraformModel, dir = 'modules/functions'): Problems {
  const statements = moduleLocals(model, dir).grant_statements;
  const defined = isObject(statements) ? Object.keys(statements) : [];
  const variable = namedBlocks(model, 'variable', dir).find((v) => v.name === 'functions');
  const condition = asArray(variable?.body.validation)
    .map((validation) => (isObject(validation) ? String(validation.condition ?? '') : ''))
    .find((text) => text.includes('contains(['));
  if (!variable || condition === undefined) return [`${dir}/variables.tf: var.functions has no validation of its grant names`];
  const accepted = new Set([...(condition.match(/contains\(\[([^\]]*)\]/)?.[1] ?? '').matchAll(/"([a-z_]+)"/g)].map((match) => match[1]));
  const problems: Problems = [];
  for (const grant of defined)
    if (!accepted.has(grant))
      problems.push(`${variable.file}: the validation of var.functions does not accept the grant "${grant}" that local.grant_statements defines`);
  for (const grant of accepted)
    if (!defined.includes(grant!))
      problems.push(`${variable.file}: the validation of var.functions accepts the grant "${grant}" that local.grant_statements does not define`);
  return problems;
}

// ---------------------------------------------------------------------------
// One stage root: every stage has its settings and its own state

/** The `<stage>.tfvars` files of one folder: stage name and values. */
export function stageValues(model: TerraformModel, dir: string): { stage: string; file: string; values: JsonObject }[] {
  return Object.entries(model.settings)
    .filter(([file]) => dirOf(file) === dir && file.endsWith('.tfvars'))
    .map(([file, values]) => ({ stage: posix.basename(file, '.tfvars'), file, values }));
}

export function checkStages(model: TerraformModel): Problems {
  const problems: Problems = [];
  const stages = stageValues(model, STAGE_ROOT);
  if (stages.length === 0) problems.push(`${STAGE_ROOT}: no <stage>.tfvars file`);
  const backend = Object.entries(model.files)
    .filter(([file]) => dirOf(file) === STAGE_ROOT)
    .flatMap(([, parsed]) => asArray(parsed.terraform).filter(isObject))
    .map((terraform) => terraform.backend)
    .find(isObject);
  const s3 = backend ? firstBlock(backend, 's3') : undefined;
  if (!s3) problems.push(`${STAGE_ROOT}: terraform { backend "s3" {} } is missing (each stage keeps its state in its <stage>.s3.tfbackend)`);
  else if (Object.keys(s3).length > 0)
    problems.push(`${STAGE_ROOT}: backend "s3" sets ${Object.keys(s3).sort().join(', ')}: leave it empty, every stage's <stage>.s3.tfbackend sets its own`);

  const variables = namedBlocks(model, 'variable', STAGE_ROOT);
  const stateKeys = new Map<string, string>();
  for (const { stage, file, values } of stages) {
    if (values.stage !== stage) problems.push(`${file}: sets stage = ${JSON.stringify(values.stage)}, but its file name says "${stage}"`);
    for (const name of Object.keys(values)) {
      const variable = variables.find((v) => v.name === name);
      if (!variable) problems.push(`${file}: sets "${name}", which ${STAGE_ROOT} does not declare`);
      else if (variable.body.sensitive === true)
        problems.push(`${file}: sets the secret "${name}" (secrets go in TF_VAR_${name} or a git-ignored ${stage}.secret.tfvars)`);
    }
    const backendFile = `${STAGE_ROOT}/${stage}.s3.tfbackend`;
    const settings = model.settings[backendFile];
    if (!settings) {
      problems.push(`${file} has no ${backendFile}: the stage would share another stage's state`);
      continue;
    }
    const key = settings.key;
    if (typeof key !== 'string' || !key.split('/').includes(stage))
      problems.push(`${backendFile}: key ${JSON.stringify(key)} must name the stage ("${stage}") as a path segment`);
    else if (stateKeys.has(key)) problems.push(`${backendFile}: key "${key}" is also the state of ${stateKeys.get(key)}`);
    else stateKeys.set(key, stage);
    if (settings.encrypt !== true) problems.push(`${backendFile}: must set encrypt = true (the state holds the SecureString values)`);
  }
  for (const file of Object.keys(model.settings)) {
    const stage = /^(.*)\.s3\.tfbackend$/.exec(posix.basename(file))?.[1];
    if (stage !== undefined && !stages.some((s) => s.stage === stage && dirOf(file) === dirOf(s.file)))
      problems.push(`${file} has no ${dirOf(file)}/${stage}.tfvars`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// DynamoDB key schemas equal src/ledger/tables.ts TABLE_KEYS

/** terraform/modules/ledger resource names of the TABLE_KEYS kinds. */
export const TABLE_RESOURCES: Readonly<Record<keyof typeof TABLE_KEYS, string>> = { ledger: 'ledger', runs: 'runs', rateLimits: 'rate_limits' };

export function checkTableKeys(model: TerraformModel, tableKeys: typeof TABLE_KEYS = TABLE_KEYS): Problems {
  const problems: Problems = [];
  const tables = labelledBlocks(model, 'resource', 'aws_dynamodb_table', 'modules/ledger');
  for (const [kind, resource] of Object.entries(TABLE_RESOURCES) as [keyof typeof TABLE_KEYS, string][]) {
    const keys = tableKeys[kind] as { hash: string; range: string | undefined; indexes: Record<string, { hash: string; range: string }> };
    const table = tables.find((t) => t.name === resource);
    const where = `modules/ledger: aws_dynamodb_table.${resource}`;
    if (!table) {
      problems.push(`${where} is missing (TABLE_KEYS.${kind})`);
      continue;
    }
    if (table.body.hash_key !== keys.hash) problems.push(`${where} hash_key is ${JSON.stringify(table.body.hash_key)}, TABLE_KEYS.${kind} has "${keys.hash}"`);
    if (table.body.range_key !== keys.range)
      problems.push(`${where} range_key is ${JSON.stringify(table.body.range_key)}, TABLE_KEYS.${kind} has ${JSON.stringify(keys.range)}`);
    if (table.body.billing_mode !== 'PAY_PER_REQUEST') problems.push(`${where} billing_mode must be PAY_PER_REQUEST`);
    const expected = new Set([keys.hash, ...(keys.range ? [keys.range] : []), ...Object.values(keys.indexes).flatMap((i) => [i.hash, i.range])]);
    const attributes = asArray(table.body.attribute).filter(isObject);
    const declared = new Set(attributes.map((a) => String(a.name)));
    for (const name of expected) if (!declared.has(name)) problems.push(`${where} declares no attribute "${name}"`);
    for (const attribute of attributes) {
      if (!expected.has(String(attribute.name))) problems.push(`${where} declares attribute "${attribute.name}", which is no key of TABLE_KEYS.${kind}`);
      if (attribute.type !== 'S') problems.push(`${where} attribute "${attribute.name}" must be a string (type = "S")`);
    }
    const indexes = asArray(table.body.global_secondary_index).filter(isObject);
    for (const [name, index] of Object.entries(keys.indexes)) {
      const gsi = indexes.find((i) => i.name === name);
      if (!gsi) problems.push(`${where} has no global_secondary_index "${name}"`);
      else {
        if (gsi.hash_key !== index.hash || gsi.range_key !== index.range) {
          problems.push(
            `${where} index "${name}" keys are ${JSON.stringify(gsi.hash_key)}/${JSON.stringify(gsi.range_key)}, TABLE_KEYS.${kind} has "${index.hash}"/"${index.range}"`,
          );
        }
        if (gsi.projection_type !== 'ALL') problems.push(`${where} index "${name}" must project ALL`);
      }
    }
    for (const gsi of indexes)
      if (!(String(gsi.name) in keys.indexes)) problems.push(`${where} has index "${gsi.name}", which TABLE_KEYS.${kind} does not have`);
  }
  for (const table of tables) {
    if (!Object.values(TABLE_RESOURCES).includes(table.name)) problems.push(`modules/ledger: aws_dynamodb_table.${table.name} is not in TABLE_KEYS`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Every collection has a queue

export function checkQueues(model: TerraformModel, collections: readonly string[] = COLLECTIONS): Problems {
  const problems: Problems = [];
  const listed = moduleLocals(model, '').collections;
  const names = Array.isArray(listed) ? listed.filter((c): c is string => typeof c === 'string') : [];
  if (!Array.isArray(listed)) problems.push("terraform/main.tf: local.collections (the queues' collections) is missing or not a list literal");
  for (const collection of collections) {
    if (!names.includes(collection)) problems.push(`collection "${collection}" has no queue: terraform/main.tf local.collections does not list it`);
  }
  for (const name of names) if (!collections.includes(name)) problems.push(`terraform/main.tf local.collections lists "${name}", which is not in COLLECTIONS`);
  const module = namedBlocks(model, 'module', '').find((block) => block.name === 'queues');
  if (!module) problems.push('terraform/main.tf: module "queues" is missing');
  else if (module.body.collections !== '${local.collections}')
    problems.push('terraform/main.tf: module "queues" must be given collections = local.collections');
  const queues = labelledBlocks(model, 'resource', 'aws_sqs_queue', 'modules/queues');
  for (const name of ['this', 'dead_letter']) {
    const queue = queues.find((q) => q.name === name);
    const where = `modules/queues: aws_sqs_queue.${name}`;
    if (!queue) {
      problems.push(`${where} is missing`);
      continue;
    }
    if (queue.body.for_each !== '${toset(var.collections)}') problems.push(`${where} must have for_each = toset(var.collections) (one queue per collection)`);
    if (queue.body.fifo_queue !== true) problems.push(`${where} must be a FIFO queue (fifo_queue = true)`);
    if (queue.body.content_based_deduplication !== false)
      problems.push(`${where} must set content_based_deduplication = false (the producer sets MessageDeduplicationId)`);
    if (typeof queue.body.name !== 'string' || !queue.body.name.endsWith('.fifo')) problems.push(`${where} name must end in .fifo`);
  }
  const work = queues.find((q) => q.name === 'this');
  if (work && !refersTo(work.body.redrive_policy, 'aws_sqs_queue.dead_letter'))
    problems.push('modules/queues: aws_sqs_queue.this has no redrive_policy to aws_sqs_queue.dead_letter');
  return problems;
}

// ---------------------------------------------------------------------------
// As many consumers may run at once as there are message groups

/** The variable that sets the consumer event source's `scaling_config.maximum_concurrency`. */
const CONSUMER_CONCURRENCY = 'consumer_maximum_concurrency';

/**
 * At most one batch of a message group is in flight, so consumers in parallel
 * are at most the message groups; a maximum concurrency below the default
 * groups (profiles/default.json) would leave groups waiting. Every default of
 * the variable and every stage's value must be at least the groups, and the
 * event source must take its maximum concurrency from the variable.
 */
export function checkConsumerConcurrency(model: TerraformModel, messageGroups: number = defaultProfile.concurrency.messageGroups): Problems {
  const problems: Problems = [];
  const variables = namedBlocks(model, 'variable').filter((variable) => variable.name === CONSUMER_CONCURRENCY);
  if (variables.length === 0) problems.push(`variable "${CONSUMER_CONCURRENCY}" is missing`);
  for (const variable of variables) {
    const value = variable.body.default;
    if (typeof value !== 'number' || value < messageGroups)
      problems.push(
        `${variable.file}: variable "${CONSUMER_CONCURRENCY}" defaults to ${JSON.stringify(value)}, below the ${messageGroups} default message groups`,
      );
  }
  for (const { file, values } of stageValues(model, STAGE_ROOT)) {
    const value = values[CONSUMER_CONCURRENCY];
    if (value !== undefined && (typeof value !== 'number' || value < messageGroups))
      problems.push(`${file}: ${CONSUMER_CONCURRENCY} = ${JSON.stringify(value)} is below the ${messageGroups} default message groups`);
  }
  const mapping = labelledBlocks(model, 'resource', 'aws_lambda_event_source_mapping', 'modules/functions').find((block) => block.name === 'consumer');
  const scaling = mapping ? firstBlock(mapping.body, 'scaling_config') : undefined;
  if (scaling?.maximum_concurrency !== `\${var.${CONSUMER_CONCURRENCY}}`)
    problems.push(`modules/functions: aws_lambda_event_source_mapping.consumer must set scaling_config { maximum_concurrency = var.${CONSUMER_CONCURRENCY} }`);
  return problems;
}

// ---------------------------------------------------------------------------

/** Every check by name, as the tests and a future CLI run them. */
export const CHECKS = {
  functionsCovered: (model: TerraformModel) => checkFunctionsCovered(model),
  templateVariables: (model: TerraformModel) => checkTemplateVariables(model),
  renderedTemplates: (model: TerraformModel) => checkRenderedTemplates(model),
  leastPrivilege: checkLeastPrivilege,
  encryption: checkEncryption,
  bucketPrivate: checkBucketPrivate,
  variables: checkVariables,
  grantNames: (model: TerraformModel) => checkGrantNames(model),
  tableKeys: (model: TerraformModel) => checkTableKeys(model),
  queues: (model: TerraformModel) => checkQueues(model),
  stages: checkStages,
  consumerConcurrency: (model: TerraformModel) => checkConsumerConcurrency(model),
} as const;

/** Runs every check; problems by check name (empty lists when all is well). */
export function runChecks(model: TerraformModel): Record<keyof typeof CHECKS, Problems> {
  return Object.fromEntries(Object.entries(CHECKS).map(([name, check]) => [name, check(model)])) as Record<keyof typeof CHECKS, Problems>;
}
