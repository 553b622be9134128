import { isObject, type Json, type Problems, type TerraformModel } from './terraform-model.ts';

/*
 * One Terraform version everywhere, and one that has what the configuration
 * uses: the S3 backend's `use_lockfile` (1.10), write-only arguments
 * (`value_wo`) and ephemeral variables (1.11 and 1.10).
 */

/** The oldest Terraform that runs this configuration. */
export const MINIMUM_TERRAFORM = '1.11';

function versionOf(constraint: string): number[] | undefined {
  const match = /^>=\s*([0-9]+)\.([0-9]+)(?:\.([0-9]+))?$/.exec(constraint.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

export function checkTerraformVersions(model: TerraformModel, minimum = MINIMUM_TERRAFORM): Problems {
  const problems: Problems = [];
  const wanted = versionOf(`>= ${minimum}`)!;
  const found = new Map<string, string>();
  for (const [file, parsed] of Object.entries(model.files)) {
    for (const block of ([] as Json[]).concat(parsed.terraform ?? []).filter(isObject)) {
      const constraint = block.required_version;
      if (constraint === undefined) continue;
      found.set(file, String(constraint));
      const version = versionOf(String(constraint));
      if (!version) problems.push(`terraform/${file}: required_version "${constraint}" must be a plain ">= X.Y"`);
      else if (version[0]! < wanted[0]! || (version[0] === wanted[0] && version[1]! < wanted[1]!)) {
        problems.push(
          `terraform/${file}: required_version "${constraint}" allows Terraform below ${minimum}, which lacks use_lockfile, value_wo or ephemeral variables`,
        );
      }
    }
  }
  for (const file of Object.keys(model.files).filter((f) => f.endsWith('versions.tf')))
    if (!found.has(file)) problems.push(`terraform/${file}: has no required_version`);
  const distinct = [...new Set(found.values())];
  if (distinct.length > 1) problems.push(`required_version differs between files: ${[...found].map(([f, v]) => `${f} "${v}"`).join(', ')}`);
  return problems;
}
