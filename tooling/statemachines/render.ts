import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { MigrationError } from '../../src/domain/index.ts';

/** Folder of the Amazon States Language templates: the only definition of the workflows. */
export const STATEMACHINES_DIR = resolve(import.meta.dirname, '../../statemachines');

/** A template referenced a variable that was not given, or rendered to invalid JSON. */
export class TemplateError extends MigrationError<{ template: string; variable?: string }> {}

// Terraform's templatefile syntax as far as the templates use it: `${name}` interpolation
// and `$${` for a literal `${`. Directives (`%{ ... }`) are not used and are refused.
const INTERPOLATION = /(\$?)\$\{([^}]*)\}/g;

/**
 * Renders one template exactly as Terraform's `templatefile(path, vars)` would
 * for the subset the templates use, and parses the result as JSON.
 */
export function renderTemplate(name: string, text: string, variables: Readonly<Record<string, string>>): object {
  if (text.includes('%{')) throw new TemplateError(`${name}: template directives (%{...}) are not supported`, { template: name });
  const rendered = text.replace(INTERPOLATION, (match, escape: string, expression: string) => {
    if (escape) return match.slice(1);
    const variable = expression.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
      throw new TemplateError(`${name}: only plain variables may be interpolated, found \${${expression}}`, { template: name, variable });
    }
    const value = variables[variable];
    if (value === undefined) throw new TemplateError(`${name}: variable ${variable} is not bound`, { template: name, variable });
    return value;
  });
  try {
    return JSON.parse(rendered) as object;
  } catch (error) {
    throw new TemplateError(`${name}: rendered template is not JSON: ${(error as Error).message}`, { template: name }, { cause: error });
  }
}

/** Variable names a template interpolates, in order of first use. */
export function templateVariables(text: string): string[] {
  const names = new Set<string>();
  for (const [, escape, expression] of text.matchAll(INTERPOLATION)) if (!escape && expression) names.add(expression.trim());
  return [...names];
}

/** Names of the state machine templates (file names without `.json`). */
export function templateNames(dir = STATEMACHINES_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => basename(file, '.json'))
    .sort();
}

/** Reads and renders statemachines/<name>.json. */
export function renderStateMachine(name: string, variables: Readonly<Record<string, string>>, dir = STATEMACHINES_DIR): object {
  return renderTemplate(`${name}.json`, readFileSync(join(dir, `${name}.json`), 'utf8'), variables);
}
