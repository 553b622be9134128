import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import defaultProfile from '../../profiles/default.json' with { type: 'json' };
import {
  checkBucketPrivate,
  checkConsumerConcurrency,
  checkStages,
  checkEncryption,
  checkFunctionSettings,
  checkFunctionsCovered,
  checkLeastPrivilege,
  checkQueues,
  checkRenderedTemplates,
  checkTableKeys,
  checkTemplateVariables,
  checkGrantNames,
  checkVariables,
  functionFolders,
  loadTemplates,
  placeholderFunctionArn,
  readFunctionSettings,
  runChecks,
  stageValues,
} from '../../tooling/static/terraform.ts';
import {
  cloneModel,
  firstBlock,
  labelledBlocks,
  loadTerraform,
  moduleLocals,
  namedBlocks,
  parseTerraform,
  STAGE_ROOT,
  type JsonObject,
  type TerraformModel,
} from '../../tooling/static/terraform-model.ts';
import { renderStage, tfvarsValues } from '../../tooling/static/terraform-render.ts';
import { renderedFunctions } from '../../tooling/static/iam-grants.ts';
import { FUNCTION_VARIABLES } from '../../src/pipeline/environment.ts';

/** The body of one resource or data block of a model (to break it in place). */
function body(model: TerraformModel, kind: 'resource' | 'data', type: string, name: string, dir?: string): JsonObject {
  const block = labelledBlocks(model, kind, type, dir).find((b) => b.name === name);
  if (!block) throw new Error(`${kind} ${type}.${name} not found`);
  return block.body;
}

/** The (mutable) locals object of a module folder that defines `name`. */
function localsDefining(model: TerraformModel, dir: string, name: string): JsonObject {
  for (const [file, parsed] of Object.entries(model.files)) {
    if ((file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '') !== dir) continue;
    for (const locals of (parsed.locals as JsonObject[] | undefined) ?? []) if (name in locals) return locals;
  }
  throw new Error(`local.${name} not found in ${dir || 'the root'}`);
}

describe('static checks of terraform/ (no terraform binary: hcl2json + our own rules)', () => {
  let model: TerraformModel;
  let broken: TerraformModel;

  before(async () => {
    model = await loadTerraform();
  });

  beforeEach(() => {
    broken = cloneModel(model);
  });

  it("parses every .tf file of the modules, the root, the stage root and localstack, and the stages' settings", () => {
    const files = Object.keys(model.files);
    for (const dir of [
      '',
      'modules/queues',
      'modules/ledger',
      'modules/storage',
      'modules/parameters',
      'modules/functions',
      'modules/statemachines',
      'modules/alarms',
      'modules/dashboard',
      'environments/stage',
      'environments/localstack',
    ]) {
      for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']) expect(files, `${dir}/${file}`).to.include(dir ? `${dir}/${file}` : file);
    }
    expect(Object.keys(model.settings).sort()).to.deep.equal([
      'environments/stage/dev.s3.tfbackend',
      'environments/stage/dev.tfvars',
      'environments/stage/prod.s3.tfbackend',
      'environments/stage/prod.tfvars',
    ]);
  });

  it("reads the stages' settings but no git-ignored secret file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-static-'));
    try {
      mkdirSync(join(dir, 'environments/stage'), { recursive: true });
      writeFileSync(join(dir, 'environments/stage/main.tf'), 'locals {\n  a = 1\n}\n');
      writeFileSync(join(dir, 'environments/stage/dev.tfvars'), 'stage = "dev"\n');
      writeFileSync(join(dir, 'environments/stage/dev.secret.tfvars'), 'legacy_db_url = "mysql://root:secret@db"\n');
      writeFileSync(join(dir, 'environments/stage/secrets.auto.tfvars'), 'legacy_db_url = "mysql://root:secret@db"\n');
      const read = await loadTerraform(dir);
      expect(Object.keys(read.files)).to.deep.equal(['environments/stage/main.tf']);
      expect(read.settings).to.deep.equal({ 'environments/stage/dev.tfvars': { stage: 'dev' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the real tree passes every check', () => {
    const problems = runChecks(model);
    for (const [check, list] of Object.entries(problems)) expect(list, check).to.deep.equal([]);
  });

  describe('every functions/ folder has its Lambda', () => {
    it('finds all seventeen handlers in the root function map', () => {
      expect(functionFolders()).to.have.length(17);
      expect(checkFunctionsCovered(model)).to.deep.equal([]);
    });

    it('fails when a handler folder is missing from local.function_access or from functions/settings.json', () => {
      delete (localsDefining(broken, '', 'function_access').function_access as JsonObject).redrive;
      const settings = Object.fromEntries(Object.entries(readFunctionSettings()).filter(([handler]) => handler !== 'verify'));
      expect(checkFunctionsCovered(broken, functionFolders(), settings)).to.deep.equal([
        'functions/redrive has no Lambda: terraform/main.tf local.function_access does not list "redrive"',
        'functions/verify has no timeout and memory: functions/settings.json does not list "verify"',
      ]);
    });

    it('fails when local.function_access or functions/settings.json lists a handler that has no folder, or the module is not given the map', () => {
      (localsDefining(broken, '', 'function_access').function_access as JsonObject).ghost = { grants: [] };
      namedBlocks(broken, 'module', '').find((m) => m.name === 'functions')!.body.functions = '${{}}';
      const settings = { ...readFunctionSettings(), spook: { timeoutSeconds: 30, memorySizeMb: 256 } };
      expect(checkFunctionsCovered(broken, functionFolders(), settings)).to.deep.equal([
        'terraform/main.tf local.function_access lists "ghost", but there is no functions/ghost/index.ts',
        'functions/settings.json lists "spook", but there is no functions/spook/index.ts',
        'terraform/main.tf: module "functions" must be given functions = local.functions',
      ]);
    });
  });

  describe('every templatefile variable is bound', () => {
    it('fails when a variable a template uses is not in the templatefile map', () => {
      delete (localsDefining(broken, 'modules/statemachines', 'template_variables').template_variables as JsonObject).report_function_arn;
      expect(checkTemplateVariables(broken)).to.deep.equal(
        ['generate-report', 'redrive'].map(
          (template) =>
            `statemachines/${template}.json uses \${report_function_arn}, which modules/statemachines/main.tf does not bind in templatefile(..., local.template_variables)`,
        ),
      );
    });

    it('fails when a template has no state machine', () => {
      delete (localsDefining(broken, 'modules/statemachines', 'state_machines').state_machines as JsonObject)['generate-report'];
      expect(checkTemplateVariables(broken)).to.deep.equal(['statemachines/generate-report.json has no state machine: no templatefile(...) renders it']);
    });

    it('reads an inline variable map and a fixed template path too', async () => {
      const inline = await parseTerraform({
        'main.tf': `
resource "aws_sfn_state_machine" "report" {
  name       = "x"
  definition = templatefile("\${path.module}/../statemachines/generate-report.json", { other_arn = "a" })
}
`,
      });
      expect(checkTemplateVariables(inline, { 'generate-report': loadTemplates()['generate-report']! })).to.deep.equal([
        'statemachines/generate-report.json uses ${report_function_arn}, which main.tf does not bind in templatefile(..., { other_arn = "a" })',
      ]);
    });
  });

  describe('rendered templates are valid ASL and only reference what the stack creates', () => {
    it('fails on a template that is not valid ASL', () => {
      const templates = loadTemplates();
      templates['generate-report'] = '{"StartAt":"Missing","States":{"Only":{"Type":"Pass","End":true}}}';
      const problems = checkRenderedTemplates(model, templates);
      expect(problems.length).to.be.greaterThan(0);
      for (const problem of problems) expect(problem).to.match(/^statemachines\/generate-report\.json is not valid ASL: /);
    });

    it('fails on a template that names a Lambda the stack does not create', () => {
      const templates = loadTemplates();
      const foreign = 'arn:aws:lambda:eu-west-1:123456789012:function:someone-elses-function';
      templates['generate-report'] = templates['generate-report']!.replace('${report_function_arn}', foreign);
      expect(checkRenderedTemplates(model, templates)).to.deep.equal([
        `statemachines/generate-report.json references ${foreign}, which the stack does not create`,
      ]);
    });

    it('fails when a variable is bound to a function that local.functions does not create', () => {
      (localsDefining(broken, 'modules/statemachines', 'template_variables').template_variables as JsonObject).report_function_arn =
        '${var.function_arns["reporter"]}';
      expect(checkRenderedTemplates(broken)).to.deep.equal(
        ['generate-report', 'redrive'].map(
          (template) => `statemachines/${template}.json references ${placeholderFunctionArn('reporter')}, which the stack does not create`,
        ),
      );
    });

    it('fails when a flow ARN is bound to a state machine that is not created', () => {
      delete (localsDefining(broken, 'modules/statemachines', 'state_machines').state_machines as JsonObject)['generate-report'];
      const problems = checkRenderedTemplates(broken);
      expect(problems).to.include(
        'statemachines/migration.json references arn:aws:states:eu-west-1:123456789012:stateMachine:fiberplan-migration-static-generate-report, which the stack does not create',
      );
    });
  });

  describe('least privilege', () => {
    it('allows "*" resources only for the documented actions (Logs delivery, X-Ray, EC2 Describe)', () => {
      const states = body(model, 'data', 'aws_iam_policy_document', 'this', 'modules/statemachines');
      const logDelivery = (states.statement as JsonObject[]).find((s) => s.sid === 'LogDelivery')!;
      expect(logDelivery.resources).to.deep.equal(['*']);
      expect(checkLeastPrivilege(model)).to.deep.equal([]);
    });

    it('fails when an action is added to the "*" statement', () => {
      const states = body(broken, 'data', 'aws_iam_policy_document', 'this', 'modules/statemachines');
      ((states.statement as JsonObject[]).find((s) => s.sid === 'LogDelivery')!.actions as string[]).push('lambda:InvokeFunction');
      expect(checkLeastPrivilege(broken)).to.deep.equal([
        'modules/statemachines/main.tf: statement LogDelivery allows lambda:InvokeFunction on resource "*" (a narrower resource exists)',
      ]);
    });

    it('fails on wildcard actions and "*" resources, also in grant statements kept in locals; Deny statements are exempt', async () => {
      const inline = await parseTerraform({
        'modules/x/main.tf': `
locals {
  grants = {
    all = [{ sid = "Everything", actions = ["s3:*"], resources = ["arn:aws:s3:::b/*"] }]
  }
}
data "aws_iam_policy_document" "p" {
  statement {
    sid       = "Wide"
    actions   = ["dynamodb:GetItem"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
}
`,
      });
      expect(checkLeastPrivilege(inline)).to.deep.equal([
        'modules/x/main.tf: statement Wide allows dynamodb:GetItem on resource "*" (a narrower resource exists)',
        'modules/x/main.tf: statement Everything allows every action "s3:*"',
      ]);
    });

    it('fails when a function grant is widened to every item of the service', () => {
      const grants = localsDefining(broken, 'modules/functions', 'grant_statements').grant_statements as JsonObject;
      ((grants.ledger_read as JsonObject[])[0]!.actions as string[]).push('dynamodb:*');
      expect(checkLeastPrivilege(broken)).to.deep.equal(['modules/functions/main.tf: statement LedgerRead allows every action "dynamodb:*"']);
    });
  });

  describe('every data store is encrypted', () => {
    it('fails on an unencrypted queue, table, bucket or secret parameter', () => {
      body(broken, 'resource', 'aws_sqs_queue', 'dead_letter').sqs_managed_sse_enabled = false;
      delete body(broken, 'resource', 'aws_dynamodb_table', 'runs').server_side_encryption;
      const files = broken.files['modules/storage/main.tf']!;
      delete (files.resource as JsonObject).aws_s3_bucket_server_side_encryption_configuration;
      body(broken, 'resource', 'aws_ssm_parameter', 'fiberconnect_token').type = 'String';
      expect(checkEncryption(broken)).to.deep.equal([
        'modules/queues/main.tf: aws_sqs_queue.dead_letter is not encrypted (set sqs_managed_sse_enabled = true or kms_master_key_id)',
        'modules/ledger/main.tf: aws_dynamodb_table.runs has no server_side_encryption { enabled = true }',
        'modules/storage/main.tf: aws_s3_bucket.this has no aws_s3_bucket_server_side_encryption_configuration with an sse_algorithm',
        'modules/parameters/main.tf: aws_ssm_parameter.fiberconnect_token (${var.parameter_prefix}/customers/${each.key}/fiberconnect-token) holds a secret but is not a SecureString',
      ]);
    });
  });

  describe('the bucket is private', () => {
    it('fails when a public access flag is off', () => {
      body(broken, 'resource', 'aws_s3_bucket_public_access_block', 'this').restrict_public_buckets = false;
      expect(checkBucketPrivate(broken)).to.deep.equal([
        'modules/storage/main.tf: aws_s3_bucket_public_access_block.this must set restrict_public_buckets = true',
      ]);
    });

    it('fails when the policy no longer denies requests without TLS', () => {
      const policy = body(broken, 'data', 'aws_iam_policy_document', 'this', 'modules/storage');
      const statement = (policy.statement as JsonObject[])[0]!;
      (firstBlock(statement, 'condition') as JsonObject).values = ['true'];
      expect(checkBucketPrivate(broken)).to.deep.equal([
        'modules/storage/main.tf: aws_s3_bucket.this has no bucket policy (aws_iam_policy_document) denying requests without TLS (aws:SecureTransport = false)',
      ]);
    });

    it('fails when ACLs are back on', () => {
      const ownership = body(broken, 'resource', 'aws_s3_bucket_ownership_controls', 'this');
      (firstBlock(ownership, 'rule') as JsonObject).object_ownership = 'ObjectWriter';
      expect(checkBucketPrivate(broken)).to.deep.equal([
        'modules/storage/main.tf: aws_s3_bucket.this needs aws_s3_bucket_ownership_controls with object_ownership = "BucketOwnerEnforced" (ACLs off)',
      ]);
    });
  });

  describe('every variable has type, description and default', () => {
    it('fails on a module variable without description, type or default', () => {
      const variable = namedBlocks(broken, 'variable', 'modules/queues').find((v) => v.name === 'max_receive_count')!;
      delete variable.body.description;
      delete variable.body.type;
      delete variable.body.default;
      expect(checkVariables(broken)).to.deep.equal([
        'modules/queues/variables.tf: variable "max_receive_count" has no type',
        'modules/queues/variables.tf: variable "max_receive_count" has no description',
        'modules/queues/variables.tf: variable "max_receive_count" has no default (only sensitive variables of environments/, or ones every <stage>.tfvars sets, may be required)',
      ]);
    });

    it('lets environments require only secrets and what every stage sets: a required variable that a stage leaves out fails', () => {
      const required = namedBlocks(model, 'variable', 'environments/stage')
        .filter((v) => !('default' in v.body))
        .map((v) => v.name);
      expect(required.sort()).to.deep.equal(['fiberconnect_tokens', 'fiberconnect_url', 'stage']);
      const region = namedBlocks(broken, 'variable', 'environments/stage').find((v) => v.name === 'region')!;
      delete region.body.default;
      delete broken.settings['environments/stage/prod.tfvars']!.region;
      expect(checkVariables(broken)).to.deep.equal([
        'environments/stage/variables.tf: variable "region" has no default (only sensitive variables of environments/, or ones every <stage>.tfvars sets, may be required)',
      ]);
    });
  });

  describe("the functions module's grant names", () => {
    it('fails when the validation of var.functions does not name a grant the module defines (a plan refuses it: "A grant is unknown")', () => {
      const variable = namedBlocks(broken, 'variable', 'modules/functions').find((v) => v.name === 'functions')!;
      const validations = variable.body.validation as { condition: string }[];
      const grants = validations.find((v) => v.condition.includes('contains('))!;
      grants.condition = grants.condition.replace('"legacy_db",', '');
      expect(checkGrantNames(broken)).to.deep.equal([
        'modules/functions/variables.tf: the validation of var.functions does not accept the grant "legacy_db" that local.grant_statements defines',
      ]);
    });
  });

  describe('one stage root: every stage has its settings and its own state', () => {
    it('finds the dev and prod stages, each naming itself and keeping its own encrypted state', () => {
      expect(stageValues(model, STAGE_ROOT).map((s) => [s.stage, s.values.stage])).to.deep.equal([
        ['dev', 'dev'],
        ['prod', 'prod'],
      ]);
      expect(model.settings['environments/stage/dev.s3.tfbackend']!.key).to.equal('fiberplan-migration/dev/terraform.tfstate');
      expect(model.settings['environments/stage/prod.s3.tfbackend']!.key).to.equal('fiberplan-migration/prod/terraform.tfstate');
      expect(checkStages(model)).to.deep.equal([]);
    });

    it('keeps the stages apart only where they differ: prod protects its data, dev may be torn down', () => {
      const dev = broken.settings['environments/stage/dev.tfvars']!;
      const prod = broken.settings['environments/stage/prod.tfvars']!;
      expect([prod.deletion_protection, prod.bucket_force_destroy]).to.deep.equal([true, false]);
      expect([dev.deletion_protection, dev.bucket_force_destroy]).to.deep.equal([false, true]);
      const defaults = Object.fromEntries(namedBlocks(model, 'variable', STAGE_ROOT).map((v) => [v.name, v.body.default]));
      expect([defaults.deletion_protection, defaults.bucket_force_destroy], 'a stage that sets neither is protected').to.deep.equal([true, false]);
    });

    it('fails when two stages share one state, a backend names no stage, or one is not encrypted', () => {
      broken.settings['environments/stage/prod.s3.tfbackend']!.key = 'fiberplan-migration/dev/terraform.tfstate';
      broken.settings['environments/stage/dev.s3.tfbackend']!.encrypt = false;
      expect(checkStages(broken)).to.deep.equal([
        'environments/stage/dev.s3.tfbackend: must set encrypt = true (the state holds the SecureString values)',
        'environments/stage/prod.s3.tfbackend: key "fiberplan-migration/dev/terraform.tfstate" must name the stage ("prod") as a path segment',
      ]);
      const shared = 'fiberplan-migration/dev/prod/terraform.tfstate';
      broken.settings['environments/stage/dev.s3.tfbackend'] = { key: shared, encrypt: true };
      broken.settings['environments/stage/prod.s3.tfbackend'] = { key: shared, encrypt: true };
      expect(checkStages(broken)).to.deep.equal([`environments/stage/prod.s3.tfbackend: key "${shared}" is also the state of dev`]);
    });

    it('fails when a stage has no backend file, or a backend file has no stage', () => {
      delete broken.settings['environments/stage/prod.s3.tfbackend'];
      broken.settings['environments/stage/qa.s3.tfbackend'] = { key: 'fiberplan-migration/qa/terraform.tfstate', encrypt: true };
      expect(checkStages(broken)).to.deep.equal([
        "environments/stage/prod.tfvars has no environments/stage/prod.s3.tfbackend: the stage would share another stage's state",
        'environments/stage/qa.s3.tfbackend has no environments/stage/qa.tfvars',
      ]);
    });

    it('fails when a stage file names another stage, sets an undeclared variable or a secret', () => {
      const prod = broken.settings['environments/stage/prod.tfvars']!;
      prod.stage = 'dev';
      prod.log_retention = 90;
      prod.legacy_db_url = 'mysql://root:secret@db:3306';
      expect(checkStages(broken)).to.deep.equal([
        'environments/stage/prod.tfvars: sets stage = "dev", but its file name says "prod"',
        'environments/stage/prod.tfvars: sets "log_retention", which environments/stage does not declare',
        'environments/stage/prod.tfvars: sets the secret "legacy_db_url" (secrets go in TF_VAR_legacy_db_url or a git-ignored prod.secret.tfvars)',
      ]);
    });

    it('fails when the stage root sets its backend itself instead of per stage', () => {
      const versions = broken.files['environments/stage/versions.tf']!.terraform as JsonObject[];
      ((versions[0]!.backend as JsonObject).s3 as JsonObject[])[0]!.key = 'fiberplan-migration/terraform.tfstate';
      expect(checkStages(broken)).to.deep.equal([
        'environments/stage: backend "s3" sets key: leave it empty, every stage\'s <stage>.s3.tfbackend sets its own',
      ]);
      delete versions[0]!.backend;
      expect(checkStages(broken)).to.deep.equal([
        'environments/stage: terraform { backend "s3" {} } is missing (each stage keeps its state in its <stage>.s3.tfbackend)',
      ]);
    });
  });

  describe('DynamoDB key schemas equal src/ledger/tables.ts TABLE_KEYS', () => {
    it('fails on a changed range key, index key or extra attribute', () => {
      body(broken, 'resource', 'aws_dynamodb_table', 'runs').range_key = 'sortKey';
      const ledger = body(broken, 'resource', 'aws_dynamodb_table', 'ledger');
      (firstBlock(ledger, 'global_secondary_index') as JsonObject).hash_key = 'runId';
      (body(broken, 'resource', 'aws_dynamodb_table', 'rate_limits').attribute as JsonObject[]).push({ name: 'extra', type: 'N' });
      expect(checkTableKeys(broken)).to.deep.equal([
        'modules/ledger: aws_dynamodb_table.ledger index "by-run" keys are "runId"/"externalRef", TABLE_KEYS.ledger has "runCollection"/"externalRef"',
        'modules/ledger: aws_dynamodb_table.runs range_key is "sortKey", TABLE_KEYS.runs has "sk"',
        'modules/ledger: aws_dynamodb_table.rate_limits declares attribute "extra", which is no key of TABLE_KEYS.rateLimits',
        'modules/ledger: aws_dynamodb_table.rate_limits attribute "extra" must be a string (type = "S")',
      ]);
    });

    it('fails when TABLE_KEYS changes and Terraform does not follow', () => {
      const keys = {
        ledger: {
          hash: 'pk',
          range: 'externalRef',
          indexes: { 'by-run': { hash: 'runCollection', range: 'externalRef' }, 'by-source-id': { hash: 'pk', range: 'sourceOrder' } },
        },
        runs: { hash: 'pk', range: 'sk', indexes: {} },
        rateLimits: { hash: 'pk', range: 'window', indexes: {} },
      };
      expect(checkTableKeys(model, keys as never)).to.deep.equal([
        'modules/ledger: aws_dynamodb_table.rate_limits range_key is undefined, TABLE_KEYS.rateLimits has "window"',
        'modules/ledger: aws_dynamodb_table.rate_limits declares no attribute "window"',
      ]);
    });
  });

  describe('every collection has a queue', () => {
    it('lists exactly COLLECTIONS', () => {
      expect(moduleLocals(model, '').collections).to.deep.equal([...COLLECTIONS]);
    });

    it('fails when a collection has no queue', () => {
      const locals = localsDefining(broken, '', 'collections');
      locals.collections = (locals.collections as string[]).filter((c) => c !== 'documents');
      expect(checkQueues(broken)).to.deep.equal(['collection "documents" has no queue: terraform/main.tf local.collections does not list it']);
    });

    it('fails when the queues lose FIFO, dedup settings or the DLQ', () => {
      const queue = body(broken, 'resource', 'aws_sqs_queue', 'this', 'modules/queues');
      queue.content_based_deduplication = true;
      delete queue.redrive_policy;
      expect(checkQueues(broken)).to.deep.equal([
        'modules/queues: aws_sqs_queue.this must set content_based_deduplication = false (the producer sets MessageDeduplicationId)',
        'modules/queues: aws_sqs_queue.this has no redrive_policy to aws_sqs_queue.dead_letter',
      ]);
    });
  });

  describe('as many consumers may run at once as there are message groups', () => {
    it('runs 16 message groups by default (docs/scaling.md: 500 requests/s needs 16) and lets 16 consumers or more run at once on every stage', () => {
      expect(defaultProfile.concurrency.messageGroups).to.be.at.least(16);
      expect(checkConsumerConcurrency(model)).to.deep.equal([]);
      for (const { values } of stageValues(model, STAGE_ROOT))
        expect(values.consumer_maximum_concurrency).to.be.at.least(defaultProfile.concurrency.messageGroups);
    });

    it('fails on a default or a stage value below the message groups, and when the event source does not use the variable', () => {
      const variable = namedBlocks(broken, 'variable', 'modules/functions').find((v) => v.name === 'consumer_maximum_concurrency')!;
      variable.body.default = 8;
      broken.settings['environments/stage/prod.tfvars']!.consumer_maximum_concurrency = 4;
      firstBlock(body(broken, 'resource', 'aws_lambda_event_source_mapping', 'consumer', 'modules/functions'), 'scaling_config')!.maximum_concurrency = 16;
      expect(checkConsumerConcurrency(broken, 16)).to.deep.equal([
        'modules/functions/variables.tf: variable "consumer_maximum_concurrency" defaults to 8, below the 16 default message groups',
        'environments/stage/prod.tfvars: consumer_maximum_concurrency = 4 is below the 16 default message groups',
        'modules/functions: aws_lambda_event_source_mapping.consumer must set scaling_config { maximum_concurrency = var.consumer_maximum_concurrency }',
      ]);
    });
  });

  describe('what holds legacy personal data expires', () => {
    it("expires reports and failed payloads after retention_days and claim checks after document_expiration_days, a dry run's ledger entries by TTL on the attribute the engine writes, and tells the functions the days", () => {
      const lifecycle = body(model, 'resource', 'aws_s3_bucket_lifecycle_configuration', 'this', 'modules/storage');
      const expiring = (lifecycle.rule as JsonObject[]).flatMap((rule) => {
        const prefix = ((rule.filter as JsonObject[] | undefined)?.[0] as JsonObject | undefined)?.prefix;
        const days = ((rule.expiration as JsonObject[] | undefined)?.[0] as JsonObject | undefined)?.days;
        return prefix && days ? [[prefix, days]] : [];
      });
      expect(expiring).to.have.deep.members([
        ['documents/', '${var.document_expiration_days}'],
        ['reports/', '${var.retention_days}'],
        ['payloads/', '${var.retention_days}'],
        ['dead-letters/', '${var.retention_days}'],
      ]);
      const ledger = body(model, 'resource', 'aws_dynamodb_table', 'ledger', 'modules/ledger');
      expect(ledger.ttl).to.deep.equal([{ attribute_name: 'expiresAt', enabled: true }]);
      expect(readFileSync('src/ledger/dry-run-namespace.ts', 'utf8'), "the attribute a dry run's writes carry").to.include('expiresAt');
      expect(JSON.stringify(moduleLocals(model, 'modules/functions').environment)).to.include('RETENTION_DAYS');
    });
  });

  describe('the wiring the handlers rely on', () => {
    it('gives every function each environment variable the functions read (src/pipeline/environment.ts FUNCTION_VARIABLES), and no other', () => {
      const stage = renderStage(model, STAGE_ROOT, tfvarsValues(model.settings[`${STAGE_ROOT}/dev.tfvars`]!));
      const functions = renderedFunctions(stage);
      expect(functions).to.have.length(17);
      for (const { handler, environment } of functions) {
        expect(Object.keys(environment).sort(), handler).to.deep.equal(FUNCTION_VARIABLES.map((variable) => variable.name).sort());
        expect(environment.POWERTOOLS_SERVICE_NAME).to.equal(handler);
      }
      const lambda = body(model, 'resource', 'aws_lambda_function', 'this', 'modules/functions');
      expect(lambda.runtime).to.equal('nodejs22.x');
      expect(lambda.architectures).to.deep.equal(['arm64']);
      expect(lambda.handler).to.equal('index.handler');
      expect(JSON.stringify(lambda.environment)).to.include('POWERTOOLS_SERVICE_NAME = each.key');
    });

    it('gives each Lambda the timeout and memory of functions/settings.json, the file the local runtime reads too', () => {
      const stage = renderStage(model, STAGE_ROOT, tfvarsValues(model.settings[`${STAGE_ROOT}/dev.tfvars`]!));
      expect(stage.instances(['aws_lambda_function'])).to.have.length(17);
      expect(checkFunctionSettings(stage)).to.deep.equal([]);
      const changed = { ...readFunctionSettings(), consumer: { timeoutSeconds: 90, memorySizeMb: 512 } };
      expect(checkFunctionSettings(stage, changed)).to.deep.equal([
        'module.migration.module.functions.aws_lambda_function.this["consumer"]: timeout 60 s and 512 MB, but functions/settings.json says 90 s and 512 MB',
      ]);
      expect(readFileSync('tooling/local/runtime.ts', 'utf8')).to.include(
        "import functionSettings from '../../functions/settings.json' with { type: 'json' };",
      );
      const settings = Object.fromEntries(Object.entries(readFunctionSettings()).map(([name, f]) => [name, [f.timeoutSeconds, f.memorySizeMb]]));
      expect(settings.producer).to.deep.equal([300, 1024]);
      expect(settings.consumer).to.deep.equal([60, 512]);
      expect(settings.report).to.deep.equal([300, 1024]);
      expect(settings.redrive).to.deep.equal([300, 256]);
      expect(settings['delete-missing']).to.deep.equal([300, 256]);
      expect(settings.verify).to.deep.equal([300, 1024]);
      expect(settings['rollback-producer']).to.deep.equal([300, 512]);
      expect(settings['rollback-report']).to.deep.equal([300, 512]);
      for (const name of [
        'precheck',
        'configure',
        'save-workflows',
        'deactivate-workflows',
        'restore-workflows',
        'email-off',
        'email-restore',
        'jobs-check',
        'drain-check',
      ])
        expect(settings[name], name).to.deep.equal([30, 256]);
    });

    it('writes the stack description with exactly the keys the ops CLI reads', () => {
      const stack = body(model, 'resource', 'aws_ssm_parameter', 'stack', 'modules/parameters');
      const keys = [...String(stack.value).matchAll(/^\s*([A-Za-z]+)\s*=/gm)].map((m) => m[1]);
      expect(keys).to.deep.equal([
        'stateMachineArn',
        'verifyStateMachineArn',
        'rollbackStateMachineArn',
        'redriveStateMachineArn',
        'runsTable',
        'ledgerTable',
        'bucket',
        'region',
        'precheckFunctionName',
        'consumerTimeoutSeconds',
        'queueUrls',
        'deadLetterQueueUrls',
      ]);
      expect(stack.name).to.equal('${var.parameter_prefix}/stack');
    });

    it('names the parameters as src/profile/parameter-store/parameters.ts reads them', () => {
      const names = labelledBlocks(model, 'resource', 'aws_ssm_parameter', 'modules/parameters').map((p) => [p.name, p.body.name, p.body.type]);
      expect(names).to.deep.include.members([
        ['profile', '${var.parameter_prefix}/customers/${each.key}/profile', 'String'],
        ['fiberconnect_token', '${var.parameter_prefix}/customers/${each.key}/fiberconnect-token', 'SecureString'],
        ['fiberconnect_url', '${var.parameter_prefix}/fiberconnect-url', 'String'],
        ['legacy_db_url', '${var.parameter_prefix}/legacy-db-url', 'SecureString'],
      ]);
      expect(moduleLocals(model, '').parameter_prefix).to.equal('/fiberplan-migration/${var.stage}');
      expect(moduleLocals(model, '').name_prefix).to.equal('fiberplan-migration-${var.stage}');
    });

    it("keeps the queue visibility at least 6 x the consumer timeout and maxReceiveCount x visibility below the default profile's drain timeout", () => {
      const variables = Object.fromEntries(namedBlocks(model, 'variable', '').map((v) => [v.name, v.body.default]));
      const visibility = variables.queue_visibility_timeout_seconds as number;
      expect(visibility).to.be.at.least(6 * readFunctionSettings().consumer!.timeoutSeconds);
      // A poison message is dead-lettered (and its outcome written) before a drain wait gives up for lack of progress.
      expect((variables.max_receive_count as number) * visibility).to.be.below(defaultProfile.runOptions.drainTimeoutSeconds);
    });
  });
});
