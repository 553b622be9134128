import { getTargetAccess } from '../config/parameters.ts';
import { FiberConnectClient } from './fiberconnect-client.ts';

// One client (and keep-alive pool) per customer and token, kept for the life of a warm instance.
const clients = new Map<string, FiberConnectClient>();

/** The FiberConnect client for a customer (and request timeout), created on first use and reused after. */
export async function targetClientFor(customer: string, timeoutMs?: number): Promise<FiberConnectClient> {
  const { baseUrl, token } = await getTargetAccess(customer);
  const key = `${customer}\n${baseUrl}\n${token}\n${timeoutMs ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = new FiberConnectClient({ baseUrl, token, ...(timeoutMs ? { timeoutMs } : {}) });
    clients.set(key, client);
  }
  return client;
}
