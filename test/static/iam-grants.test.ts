import { expect } from 'chai';
import { CallGraph, type AwsCall } from '../../tooling/static/aws-calls.ts';
import { checkStageGrants, type CallsByHandler, type RoleFindings } from '../../tooling/static/iam-grants.ts';
import { functionFolders, stageValues } from '../../tooling/static/terraform.ts';
import { cloneModel, isObject, loadTerraform, STAGE_ROOT, type JsonObject, type TerraformModel } from '../../tooling/static/terraform-model.ts';
import { RENDER_ACCOUNT, renderStage, tfvarsValues } from '../../tooling/static/terraform-render.ts';

/** Renders one stage of a model and checks every role of it. */
async function findings(
  model: TerraformModel,
  calls: CallsByHandler,
  stage: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, RoleFindings>> {
  const settings = model.settings[`${STAGE_ROOT}/${stage}.tfvars`]!;
  const values = { ...tfvarsValues(settings), ...extra } as ReturnType<typeof tfvarsValues>;
  return checkStageGrants(renderStage(model, STAGE_ROOT, values), calls, { region: String(values.region), account: RENDER_ACCOUNT });
}

const missing = (all: Record<string, RoleFindings>): string[] => Object.values(all).flatMap((f) => f.missing);

/** The grants list of one function in the root's local.function_access, to break in a copy. */
function grantsOf(model: TerraformModel, handler: string): string[] {
  for (const parsed of Object.values(model.files)) {
    for (const locals of (parsed.locals as JsonObject[] | undefined) ?? []) {
      const access = locals.function_access;
      if (isObject(access) && isObject(access[handler])) return (access[handler] as JsonObject).grants as string[];
    }
  }
  throw new Error(`no local.function_access["${handler}"]`);
}

const summary = (call: AwsCall): string =>
  `${call.action} ${Object.entries(call.target)
    .map(([field, values]) => `${field}=${values.join('|')}`)
    .join(' ')}`;

describe('every AWS call the code makes is granted by the rendered IAM policies, and nothing more is listed', function () {
  // The type checker reads the whole program once (tens of seconds on a busy two-core machine).
  this.timeout(600_000);
  let model: TerraformModel;
  let calls: CallsByHandler;

  before(async () => {
    model = await loadTerraform();
    const graph = new CallGraph(functionFolders());
    calls = Object.fromEntries(functionFolders().map((handler) => [handler, graph.awsCalls(handler)]));
  });

  it("derives each handler's calls from the code: actions, tables, indexes, queues, keys and parameters", () => {
    expect(Object.keys(calls)).to.deep.equal(functionFolders());
    const of = (handler: string) => calls[handler]!.map(summary);
    expect(of('delete-missing')).to.include('dynamodb:GetItem table={env:RUNS_TABLE}');
    expect(of('producer')).to.include.members([
      'dynamodb:GetItem table={env:RUNS_TABLE}',
      'dynamodb:Query table={env:LEDGER_TABLE} index=by-source-id',
      'sqs:SendMessage queue={env:QUEUE_URLS}[*]',
      's3:PutObject bucket={env:BUCKET} key=documents/*/*',
    ]);
    expect(of('consumer')).to.include.members([
      's3:GetObject bucket={env:BUCKET} key=documents/*/*',
      'ssm:GetParameter name={env:PARAMETER_PREFIX}/customers/*/fiberconnect-token decrypt=true',
    ]);
    expect(of('report')).to.include.members([
      's3:PutObject bucket={env:BUCKET} key=reports/*/*/report.json',
      's3:AbortMultipartUpload bucket={env:BUCKET} key=reports/*/*/report.json',
    ]);
    expect(of('redrive')).to.include.members(['sqs:ReceiveMessage queue={env:DEAD_LETTER_QUEUE_URLS}[*]', 'sqs:SendMessage queue={env:QUEUE_URLS}[*]']);
    // Reachability is per handler: drain-check never reads a parameter, precheck only the database URL.
    expect(of('drain-check').filter((c) => c.startsWith('ssm:'))).to.deep.equal([]);
    expect(of('precheck')).to.deep.equal(['ssm:GetParameter name={env:PARAMETER_PREFIX}/legacy-db-url decrypt=true']);
  });

  for (const stage of ['dev', 'prod']) {
    it(`grants every call of every function and every Task of the state machines on the ${stage} stage (unused grants listed)`, async () => {
      expect(stageValues(model, STAGE_ROOT).map((s) => s.stage)).to.include(stage);
      const all = await findings(model, calls, stage);
      expect(Object.keys(all)).to.include.members([...functionFolders(), 'states (fiberplan-migration-' + stage + '-states)']);
      expect(missing(all)).to.deep.equal([]);
      const unused = Object.values(all).flatMap((f) => f.unused);
      if (unused.length > 0)
        console.log(`      grants no call of the ${stage} stage uses (${unused.length}):\n${unused.map((line) => `        ${line}`).join('\n')}`);
    });
  }

  it('grants every KMS use when the stage sets a customer managed key (queues, bucket, SecureStrings, VPC and tracing on)', async () => {
    const key = `arn:aws:kms:eu-west-1:${RENDER_ACCOUNT}:key/00000000-0000-0000-0000-000000000000`;
    const all = await findings(model, calls, 'prod', { kms_key_arn: key, tracing_enabled: true });
    expect(missing(all)).to.deep.equal([]);
    const kms = Object.values(all)
      .flatMap((f) => f.requests)
      .filter((r) => r.action.startsWith('kms:') && r.resource === key);
    expect([...new Set(kms.map((r) => `${r.action} via ${String(r.context?.['kms:ViaService']).split('.')[0]}`))].sort()).to.deep.equal([
      'kms:Decrypt via s3',
      'kms:Decrypt via sqs',
      'kms:Decrypt via ssm',
      'kms:GenerateDataKey via s3',
      'kms:GenerateDataKey via sqs',
    ]);
  });

  it('the check can fail: removing a grant the code needs names the function, the action and the resource', async () => {
    const broken = cloneModel(model);
    const grants = grantsOf(broken, 'delete-missing');
    grants.splice(grants.indexOf('runs_read'), 1);
    // The call's line moves as run-records.ts grows: the check names one, whichever it is.
    expect(missing(await findings(broken, calls, 'dev')).map((line) => line.replace(/run-records\.ts:\d+\)/, 'run-records.ts:<line>)'))).to.deep.equal([
      `delete-missing: dynamodb:GetItem on arn:aws:dynamodb:eu-west-1:${RENDER_ACCOUNT}:table/fiberplan-migration-dev-runs (src/ledger/run-records.ts:<line>) is not granted`,
    ]);
  });

  it('the check can fail: a state machine role without StartExecution names each flow it starts', async () => {
    const broken = cloneModel(model);
    const document = ((broken.files['modules/statemachines/main.tf']!.data as JsonObject).aws_iam_policy_document as JsonObject).this as JsonObject[];
    const statements = document[0]!.statement as JsonObject[];
    statements.splice(
      statements.findIndex((s) => s.sid === 'StartEngineStateMachines'),
      1,
    );
    const lines = missing(await findings(broken, calls, 'dev'));
    expect(lines.length).to.be.greaterThan(0);
    expect(lines).to.include(
      `states: states:StartExecution on arn:aws:states:eu-west-1:${RENDER_ACCOUNT}:stateMachine:fiberplan-migration-dev-process (statemachines/migration.json startExecution) is not granted`,
    );
  });

  it('lists a grant that no call uses', async () => {
    const broken = cloneModel(model);
    grantsOf(broken, 'drain-check').push('documents_write');
    const unused = (await findings(broken, calls, 'dev'))['drain-check']!.unused;
    expect(unused.filter((line) => line.includes('DocumentClaimChecksWrite'))).to.deep.equal([
      `drain-check: DocumentClaimChecksWrite grants s3:PutObject on arn:aws:s3:::fiberplan-migration-dev-data-${RENDER_ACCOUNT}/documents/*, which no call uses`,
    ]);
  });
});
