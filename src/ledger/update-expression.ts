import type { UpdateClauses, UpdateCondition, UpdateExpressionInput } from './types.ts';

/** An attribute name that can be its own placeholder (`#status`, `:status`): placeholders take letters, digits and `_` only. */
const PLAIN_NAME = /^[A-Za-z0-9]\w*$/;

/**
 * The expression parts of one UpdateItem: SET, ADD and REMOVE clauses, and
 * the condition, with every attribute behind a placeholder (several of the
 * engine's attribute names are DynamoDB reserved words: `status`, `value`).
 * A plain name is its own placeholder (`#runId = :runId`), so a condition can
 * name the value being set (`:status`); any other name (`outcomes#fp_a`)
 * gets a numbered one (`#_0 :_0`). The condition's own placeholders come
 * with it. Spread the result into an UpdateCommand's input.
 */
export function updateExpression(clauses: UpdateClauses, condition?: UpdateCondition): UpdateExpressionInput {
  const names: Record<string, string> = { ...condition?.names };
  const values: Record<string, unknown> = { ...condition?.values };
  let numbered = 0;
  const placeholder = (name: string): string => {
    const token = PLAIN_NAME.test(name) ? name : `_${numbered++}`;
    names[`#${token}`] = name;
    return token;
  };
  const assign = (entries: [string, unknown][], format: (token: string) => string): string[] =>
    entries.map(([name, value]) => {
      const token = placeholder(name);
      values[`:${token}`] = value;
      return format(token);
    });
  const parts = [
    ['SET', assign(Object.entries(clauses.set ?? {}), (token) => `#${token} = :${token}`)],
    ['ADD', assign(Object.entries(clauses.add ?? {}), (token) => `#${token} :${token}`)],
    ['REMOVE', (clauses.remove ?? []).map((name) => `#${placeholder(name)}`)],
  ] as const;
  const expression = parts.flatMap(([keyword, items]) => (items.length > 0 ? [`${keyword} ${items.join(', ')}`] : [])).join(' ');
  if (expression === '') throw new Error('an update needs at least one attribute to set, add or remove');
  return {
    UpdateExpression: expression,
    ...(condition ? { ConditionExpression: condition.expression } : {}),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
