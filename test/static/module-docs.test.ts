import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEGIN, checkDocumentedCounts, checkModuleDocs, documentedModules, END } from '../../tooling/static/module-docs.ts';
import { functionFolders, loadTemplates } from '../../tooling/static/terraform.ts';
import { cloneModel, loadTerraform, namedBlocks, REPO_ROOT, type TerraformModel } from '../../tooling/static/terraform-model.ts';

describe('the Terraform docs say what the configuration is', () => {
  let model: TerraformModel;

  before(async () => {
    model = await loadTerraform();
  });

  it("each module README (and the root's) has terraform-docs inputs and outputs tables equal to its variables.tf and outputs.tf", () => {
    expect(documentedModules(model)).to.deep.equal([
      '',
      'modules/alarms',
      'modules/dashboard',
      'modules/functions',
      'modules/ledger',
      'modules/parameters',
      'modules/queues',
      'modules/statemachines',
      'modules/storage',
    ]);
    expect(checkModuleDocs(model)).to.deep.equal([]);
  });

  it('the check can fail: a variable added to a module, or a README without the markers', () => {
    const broken = cloneModel(model);
    namedBlocks(broken, 'variable', 'modules/queues')[0]!.body.description = 'changed';
    expect(checkModuleDocs(broken)).to.deep.equal([
      "terraform/modules/queues/README.md: the inputs/outputs tables differ from modules/queues's variables.tf and outputs.tf (run make tf-docs)",
    ]);
    const read = (path: string) =>
      path.endsWith('modules/ledger/README.md') ? readFileSync(path, 'utf8').replace(BEGIN, '').replace(END, '') : readFileSync(path, 'utf8');
    expect(checkModuleDocs(model, read)).to.deep.equal([`terraform/modules/ledger/README.md has no ${BEGIN} ... ${END} section (make tf-docs writes it)`]);
  });

  it('docs/deploy.md and terraform/README.md count the Lambda functions and state machines there are', () => {
    const docs = Object.fromEntries(['docs/deploy.md', 'terraform/README.md'].map((path) => [path, readFileSync(join(REPO_ROOT, path), 'utf8')]));
    const counts = { functions: functionFolders().length, stateMachines: Object.keys(loadTemplates()).length };
    expect(counts).to.deep.equal({ functions: 17, stateMachines: 13 });
    expect(docs['docs/deploy.md'])
      .to.match(/17 Lambda functions/)
      .and.to.match(/13 state machines/);
    expect(checkDocumentedCounts(docs, counts)).to.deep.equal([]);
    expect(checkDocumentedCounts({ 'docs/x.md': 'the 13 Lambdas and 8 state machines' }, counts)).to.deep.equal([
      'docs/x.md: says "13 Lambdas", but there are 17',
      'docs/x.md: says "8 state machines", but there are 13',
    ]);
  });
});
