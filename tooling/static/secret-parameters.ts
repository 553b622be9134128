import { firstBlock, labelledBlocks, namedBlocks, type Problems, type TerraformModel } from './terraform-model.ts';

/*
 * No secret reaches the Terraform state or a plan file: every SecureString
 * parameter (and any parameter whose name says it holds a token, password,
 * webhook or database URL) is written with the write-only `value_wo` and a
 * `value_wo_version`, from variables marked `ephemeral`, or is created
 * without a value and left to ops (`ignore_changes = [value]`). A secret
 * written with `value` or `insecure_value` fails.
 */

/** Parameter names that hold a secret whatever their type says. */
const SECRET_NAME = /token|password|secret|webhook|legacy-db-url/;

function isSecret(body: Record<string, unknown>): boolean {
  return body.type === 'SecureString' || SECRET_NAME.test(String(body.name ?? ''));
}

export function checkSecretParameters(model: TerraformModel): Problems {
  const problems: Problems = [];
  for (const parameter of labelledBlocks(model, 'resource', 'aws_ssm_parameter')) {
    if (!isSecret(parameter.body)) continue;
    const where = `${parameter.file}: aws_ssm_parameter.${parameter.name}`;
    const ignored = JSON.stringify(firstBlock(parameter.body, 'lifecycle')?.ignore_changes ?? '');
    for (const argument of ['value', 'insecure_value']) {
      if (argument in parameter.body)
        problems.push(`${where} writes a secret with ${argument}, which Terraform keeps in its state: use value_wo and value_wo_version`);
    }
    if ('value_wo' in parameter.body) {
      if (!('value_wo_version' in parameter.body))
        problems.push(`${where} has value_wo but no value_wo_version: a rotated secret would never be written again`);
      for (const name of [...String(parameter.body.value_wo).matchAll(/var\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!)) {
        const variable = namedBlocks(model, 'variable', parameter.dir).find((v) => v.name === name);
        if (variable && variable.body.ephemeral !== true)
          problems.push(
            `${parameter.dir}/variables.tf: variable "${name}" feeds value_wo of aws_ssm_parameter.${parameter.name} but is not ephemeral, so a saved plan would hold it`,
          );
      }
    } else if (!('value' in parameter.body) && !/\bvalue\b/.test(ignored)) {
      problems.push(`${where} sets no value_wo: write it with value_wo, or create it empty with lifecycle { ignore_changes = [value] } for ops to put`);
    }
  }
  return problems;
}

/** Variables passed on to a module's ephemeral variable must be ephemeral too (Terraform refuses otherwise; checked before a plan can). */
export function checkEphemeralChain(model: TerraformModel): Problems {
  const problems: Problems = [];
  for (const call of namedBlocks(model, 'module')) {
    const source = typeof call.body.source === 'string' ? call.body.source : '';
    const target = [call.dir, source]
      .filter(Boolean)
      .join('/')
      .split('/')
      .reduce<string[]>((parts, part) => (part === '..' ? parts.slice(0, -1) : part === '.' ? parts : [...parts, part]), [])
      .join('/');
    for (const variable of namedBlocks(model, 'variable', target)) {
      if (variable.body.ephemeral !== true || !(variable.name in call.body)) continue;
      for (const name of [...String(call.body[variable.name]).matchAll(/var\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!)) {
        const own = namedBlocks(model, 'variable', call.dir).find((v) => v.name === name);
        if (own && own.body.ephemeral !== true)
          problems.push(`${own.file}: variable "${name}" is passed to the ephemeral ${variable.name} of module "${call.name}" but is not ephemeral`);
      }
    }
  }
  return [...new Set(problems)];
}
