import { relative } from 'node:path';
import { writeModuleDocs } from '../tooling/static/module-docs.ts';
import { loadTerraform, REPO_ROOT } from '../tooling/static/terraform-model.ts';

// Writes the inputs/outputs tables of terraform/README.md and every module README from their variables.tf and outputs.tf.
const changed = writeModuleDocs(await loadTerraform());
console.log(changed.length > 0 ? `rewrote ${changed.map((path) => relative(REPO_ROOT, path)).join(', ')}` : 'every README is up to date');
