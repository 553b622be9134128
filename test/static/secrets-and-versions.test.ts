import { expect } from 'chai';
import { checkEphemeralChain, checkSecretParameters } from '../../tooling/static/secret-parameters.ts';
import { checkTerraformVersions } from '../../tooling/static/terraform-versions.ts';
import { cloneModel, labelledBlocks, loadTerraform, namedBlocks, type JsonObject, type TerraformModel } from '../../tooling/static/terraform-model.ts';

describe('no secret in the Terraform state or a plan file, and one Terraform version that has what the configuration uses', () => {
  let model: TerraformModel;
  let broken: TerraformModel;

  before(async () => {
    model = await loadTerraform();
  });

  beforeEach(() => {
    broken = cloneModel(model);
  });

  const parameter = (m: TerraformModel, name: string): JsonObject =>
    labelledBlocks(m, 'resource', 'aws_ssm_parameter', 'modules/parameters').find((b) => b.name === name)!.body;

  it('writes every SecureString with value_wo and value_wo_version from ephemeral variables, at every level', () => {
    for (const name of ['fiberconnect_token', 'legacy_db_url']) {
      expect(parameter(model, name).type, name).to.equal('SecureString');
      expect(parameter(model, name), name).to.include.keys('value_wo', 'value_wo_version');
      expect(parameter(model, name), name).to.not.have.any.keys('value', 'insecure_value');
    }
    expect(checkSecretParameters(model)).to.deep.equal([]);
    expect(checkEphemeralChain(model)).to.deep.equal([]);
  });

  it('the check can fail: a secret written with value, a value_wo without its version, a non-ephemeral source', () => {
    const token = parameter(broken, 'fiberconnect_token');
    token.value = token.value_wo!;
    delete token.value_wo;
    delete parameter(broken, 'legacy_db_url').value_wo_version;
    delete namedBlocks(broken, 'variable', 'modules/parameters').find((v) => v.name === 'legacy_db_url')!.body.ephemeral;
    expect(checkSecretParameters(broken)).to.deep.equal([
      'modules/parameters/main.tf: aws_ssm_parameter.fiberconnect_token writes a secret with value, which Terraform keeps in its state: use value_wo and value_wo_version',
      'modules/parameters/main.tf: aws_ssm_parameter.legacy_db_url has value_wo but no value_wo_version: a rotated secret would never be written again',
      'modules/parameters/variables.tf: variable "legacy_db_url" feeds value_wo of aws_ssm_parameter.legacy_db_url but is not ephemeral, so a saved plan would hold it',
    ]);
  });

  it('the check can fail: a webhook parameter is a secret by its name, even as a String', async () => {
    const { parseTerraform } = await import('../../tooling/static/terraform-model.ts');
    const added = await parseTerraform({
      'modules/x/main.tf': 'resource "aws_ssm_parameter" "hook" {\n  name  = "/p/notification-webhook"\n  type  = "String"\n  value = var.hook\n}\n',
    });
    expect(checkSecretParameters(added)).to.deep.equal([
      'modules/x/main.tf: aws_ssm_parameter.hook writes a secret with value, which Terraform keeps in its state: use value_wo and value_wo_version',
    ]);
  });

  it('the check can fail: a stage root that passes a non-ephemeral variable on to an ephemeral one', () => {
    delete namedBlocks(broken, 'variable', 'environments/stage').find((v) => v.name === 'fiberconnect_tokens')!.body.ephemeral;
    expect(checkEphemeralChain(broken)).to.deep.equal([
      'environments/stage/variables.tf: variable "fiberconnect_tokens" is passed to the ephemeral fiberconnect_tokens of module "migration" but is not ephemeral',
    ]);
  });

  it('requires Terraform 1.11 or newer in every versions.tf, the same everywhere', () => {
    expect(checkTerraformVersions(model)).to.deep.equal([]);
    const versions = broken.files['modules/queues/versions.tf']!.terraform as JsonObject[];
    versions[0]!.required_version = '>= 1.6';
    expect(checkTerraformVersions(broken)).to.deep.include.members([
      'terraform/modules/queues/versions.tf: required_version ">= 1.6" allows Terraform below 1.11, which lacks use_lockfile, value_wo or ephemeral variables',
    ]);
    expect(checkTerraformVersions(broken).some((p) => p.startsWith('required_version differs between files'))).to.equal(true);
  });
});
