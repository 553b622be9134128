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

/** The functions whose messages the consumer works off: a flow that calls one also runs consumers. */
const FEEDS_CONSUMER = ['producer', 'rollback-producer'];

/**
 * The handlers one run of `start` can call, in the order its flows first
 * name them: what the local runtime warms ahead. The consumer comes right
 * after the first producer that feeds it, and only when `consumers` run.
 */
export function handlersToWarm(
  start: string,
  names: readonly string[],
  definitions: readonly object[],
  arnOf: (name: string) => string,
  handlers: readonly string[],
  functionArn: (handler: string) => string,
  consumers: boolean,
): string[] {
  const named = flowClosure(start, names, definitions, arnOf).join('\n');
  const at = (handler: string): number => named.indexOf(`"${functionArn(handler)}"`);
  const feeds = FEEDS_CONSUMER.map(at).filter((index) => index >= 0);
  const firstUse = (handler: string): number => (handler === 'consumer' ? (consumers && feeds.length > 0 ? Math.min(...feeds) + 0.5 : -1) : at(handler));
  return handlers.filter((handler) => firstUse(handler) >= 0).sort((a, b) => firstUse(a) - firstUse(b));
}
