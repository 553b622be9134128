/**
 * The definitions of a workflow and of every flow it starts, transitively,
 * in the order they are first named (breadth first): what one run can call.
 */
export function flowClosure(start: string, names: readonly string[], definitions: readonly object[], arnOf: (name: string) => string): string[] {
  const texts = definitions.map((definition) => JSON.stringify(definition));
  const order = [start];
  for (let i = 0; i < order.length; i += 1) {
    const definition = texts[names.indexOf(order[i]!)];
    if (definition === undefined) throw new Error(`no state machine ${order[i]} to warm for (known: ${names.join(', ')})`);
    const started = names.filter((name) => !order.includes(name) && definition.includes(`"${arnOf(name)}"`));
    started.sort((a, b) => definition.indexOf(`"${arnOf(a)}"`) - definition.indexOf(`"${arnOf(b)}"`));
    order.push(...started);
  }
  return order.map((name) => texts[names.indexOf(name)]!);
}
