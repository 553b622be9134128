import { expect } from 'chai';
import { checkStageKnobs, FIXED_MODULE_SETTINGS, FIXED_ROOT_SETTINGS } from '../../tooling/static/stage-knobs.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloneModel, loadTerraform, namedBlocks, STAGE_ROOT, TERRAFORM_DIR, type TerraformModel } from '../../tooling/static/terraform-model.ts';

describe('every setting of the modules can be set per stage (or is fixed, and the README says why)', () => {
  let model: TerraformModel;

  before(async () => {
    model = await loadTerraform();
  });

  it('the stage root declares, validates and passes every root variable; the root sets every module variable', () => {
    expect(checkStageKnobs(model)).to.deep.equal([]);
    const readme = readFileSync(join(TERRAFORM_DIR, 'README.md'), 'utf8');
    for (const name of [...FIXED_ROOT_SETTINGS, ...Object.values(FIXED_MODULE_SETTINGS).flat()]) expect(readme, name).to.include(name);
  });

  it('the check can fail: a root variable the stage root does not declare or pass, one without its validation, a module variable nobody sets', () => {
    const broken = cloneModel(model);
    const stageVariables = broken.files[`${STAGE_ROOT}/variables.tf`]!.variable as Record<string, unknown>;
    delete stageVariables.kms_key_arn;
    delete namedBlocks(broken, 'variable', STAGE_ROOT).find((v) => v.name === 'log_level')!.body.validation;
    delete namedBlocks(broken, 'module', STAGE_ROOT).find((m) => m.name === 'migration')!.body.tracing_enabled;
    delete namedBlocks(broken, 'module', '').find((m) => m.name === 'queues')!.body.kms_key_arn;
    expect(checkStageKnobs(broken)).to.have.members([
      'environments/stage/variables.tf: "log_level" does not repeat the root module\'s validation',
      'environments/stage/variables.tf does not declare "kms_key_arn": a <stage>.tfvars cannot set it',
      'environments/stage/main.tf: module "migration" does not pass tracing_enabled = var.tracing_enabled',
      'terraform/main.tf: module "queues" does not set kms_key_arn (set it from a root variable, or list it as fixed in tooling/static/stage-knobs.ts and terraform/README.md)',
    ]);
  });
});
