import { namedBlocks, STAGE_ROOT, type Problems, type TerraformModel } from './terraform-model.ts';

/*
 * Every setting reaches a stage: each variable of the root module is declared
 * by the stage root, with the same validation, and passed on to it; each
 * variable of a module is set by the root module. What is deliberately fixed
 * is listed here, and terraform/README.md says why.
 */

/** Root variables a stage does not set: the outputs of `make build`. */
export const FIXED_ROOT_SETTINGS: readonly string[] = ['dist_dir', 'profiles_file'];

/** Module variables the root module leaves at their default (terraform/README.md, "the fixed ones"). */
export const FIXED_MODULE_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  'modules/queues': ['max_message_size', 'receive_wait_time_seconds'],
  'modules/parameters': ['profile_parameter_tier'],
  'modules/functions': ['extra_environment'],
};

const conditions = (body: Record<string, unknown>): string[] =>
  ((body.validation as { condition?: string }[] | undefined) ?? []).map((v) => String(v.condition ?? '').replace(/\s+/g, ' '));

export function checkStageKnobs(model: TerraformModel): Problems {
  const problems: Problems = [];
  const call = namedBlocks(model, 'module', STAGE_ROOT).find((m) => m.name === 'migration');
  const stage = new Map(namedBlocks(model, 'variable', STAGE_ROOT).map((v) => [v.name, v.body]));
  for (const variable of namedBlocks(model, 'variable', '')) {
    if (FIXED_ROOT_SETTINGS.includes(variable.name)) continue;
    const own = stage.get(variable.name);
    if (!own) problems.push(`${STAGE_ROOT}/variables.tf does not declare "${variable.name}": a <stage>.tfvars cannot set it`);
    else if (JSON.stringify(conditions(own)) !== JSON.stringify(conditions(variable.body)))
      problems.push(`${STAGE_ROOT}/variables.tf: "${variable.name}" does not repeat the root module's validation`);
    if (call && call.body[variable.name] !== `\${var.${variable.name}}`)
      problems.push(`${STAGE_ROOT}/main.tf: module "migration" does not pass ${variable.name} = var.${variable.name}`);
  }
  for (const module of namedBlocks(model, 'module', '')) {
    const dir = String(module.body.source).replace(/^\.\//, '');
    for (const variable of namedBlocks(model, 'variable', dir)) {
      if (!(variable.name in module.body) && !(FIXED_MODULE_SETTINGS[dir] ?? []).includes(variable.name))
        problems.push(
          `terraform/main.tf: module "${module.name}" does not set ${variable.name} (set it from a root variable, or list it as fixed in tooling/static/stage-knobs.ts and terraform/README.md)`,
        );
    }
  }
  return problems;
}
