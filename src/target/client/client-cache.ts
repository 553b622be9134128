import { getTargetAccess } from '../../profile/parameter-store/index.ts';
import { FiberConnectClient } from './fiberconnect-client.ts';

/** How a client is built: its request timeout, and the shared rate limit it waits for (named by `gateKey`). */
export interface TargetClientOptions {
  timeoutMs?: number;
  gate?: () => Promise<unknown>;
  /** Identifies the gate in the cache (e.g. the rate), so clients with different gates are kept apart. */
  gateKey?: string;
}

// One client (and keep-alive pool) per customer, token and settings, kept for the life of a warm instance.
const clients = new Map<string, FiberConnectClient>();

/**
 * The FiberConnect client for a customer, created on first use and reused after.
 *
 * @example
 * const client = await targetClientFor('acme', { timeoutMs: 10_000 }); // URL and token from Parameter Store
 * const paced = await targetClientFor('acme', { gate: () => limiter.acquire(1), gateKey: `rate:${targetRps}` });
 */
export async function targetClientFor(customer: string, options: TargetClientOptions = {}): Promise<FiberConnectClient> {
  const { baseUrl, token } = await getTargetAccess(customer);
  const key = [customer, baseUrl, token, options.timeoutMs ?? '', options.gateKey ?? ''].join('\n');
  let client = clients.get(key);
  if (!client) {
    client = new FiberConnectClient({
      baseUrl,
      token,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.gate ? { gate: options.gate } : {}),
    });
    clients.set(key, client);
  }
  return client;
}
