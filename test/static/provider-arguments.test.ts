import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkProviderArguments } from '../../tooling/static/provider-arguments.ts';
import { providerSchema, providerVersion } from '../../tooling/static/provider-schema.ts';
import { loadTerraform, parseTerraform, TERRAFORM_DIR } from '../../tooling/static/terraform-model.ts';

/** One module file as written, changed by `edit`, parsed, and checked with its own text for the line numbers. */
async function checkEdited(file: string, edit: (text: string) => string): Promise<string[]> {
  const text = edit(readFileSync(join(TERRAFORM_DIR, file), 'utf8'));
  return checkProviderArguments(await parseTerraform({ [file]: text }), () => text);
}

const lineOf = (file: string, edit: (text: string) => string, needle: string): number =>
  edit(readFileSync(join(TERRAFORM_DIR, file), 'utf8'))
    .split('\n')
    .findIndex((line) => line.includes(needle)) + 1;

describe('every resource and data block uses only arguments the AWS provider has', function () {
  this.timeout(60_000);

  it('reads the schema of the provider release versions.tf pins (~> 5.100)', () => {
    expect(providerVersion()).to.match(/^5\.100\./);
    for (const file of ['versions.tf', 'modules/functions/versions.tf', 'environments/stage/versions.tf']) {
      expect(readFileSync(join(TERRAFORM_DIR, file), 'utf8'), file).to.match(/version\s*=\s*"~> 5\.100"/);
    }
    const lambda = providerSchema('aws_lambda_function', 'resource')!;
    expect(lambda.attributes.function_name).to.deep.equal({ required: true });
    expect(Object.keys(lambda.blocks)).to.include.members(['environment', 'logging_config', 'vpc_config']);
    expect(providerSchema('aws_no_such_thing', 'resource')).to.equal(undefined);
  });

  it('the real tree passes: every argument known, every required one given, blocks written as blocks', async () => {
    expect(checkProviderArguments(await loadTerraform())).to.deep.equal([]);
  });

  it('the check can fail: an argument the provider does not have names file, line and argument', async () => {
    const edit = (text: string) =>
      text.replace('  visibility_timeout_seconds  = var.visibility_timeout_seconds\n', (m) => `${m}  visibility_timeout          = 30\n`);
    const line = lineOf('modules/queues/main.tf', edit, 'visibility_timeout          = 30');
    expect(line).to.be.greaterThan(0);
    expect(await checkEdited('modules/queues/main.tf', edit)).to.deep.equal([
      `terraform/modules/queues/main.tf:${line}: aws_sqs_queue.this has no argument or block "visibility_timeout" in the AWS provider`,
    ]);
  });

  it('the check can fail: a block written as an attribute, an attribute written as a block, a required argument left out', async () => {
    const edit = (text: string) =>
      text
        .replace(
          '  environment {\n    variables = merge(local.environment, { POWERTOOLS_SERVICE_NAME = each.key })\n  }',
          '  environment = {\n    variables = merge(local.environment, { POWERTOOLS_SERVICE_NAME = each.key })\n  }',
        )
        .replace('  function_name                  = "${var.name_prefix}-${each.key}"\n', '')
        .replace('  tags = merge(var.tags, { Handler = each.key })\n\n  depends_on', '  tags {\n    Handler = each.key\n  }\n\n  depends_on');
    const file = 'modules/functions/main.tf';
    const header = lineOf(file, edit, 'resource "aws_lambda_function" "this"');
    expect(await checkEdited(file, edit)).to.include.members([
      `terraform/${file}:${lineOf(file, edit, '  environment = {')}: aws_lambda_function.this.environment is a block: write environment { ... }, not environment = ...`,
      `terraform/${file}:${header}: aws_lambda_function.this misses the required argument "function_name"`,
    ]);
    expect((await checkEdited(file, edit)).some((p) => /aws_lambda_function\.this\.tags is an argument/.test(p))).to.equal(true);
  });
});
