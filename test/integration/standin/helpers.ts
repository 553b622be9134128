// Shared helpers of the stand-in tests: a server on a free port with an in-memory database, and a small HTTP client.
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { startStandin, type RunningStandin } from '../../../tooling/standin/server.ts';
import type { StandinOptions } from '../../../tooling/standin/types.ts';

export const DEMO = 'demo-token';
export const ACME = 'acme-token';
export const ADMIN = 'admin-token';

/** A stand-in for one test: in memory, free port, no rate limit, 200 ms job delay, customers demo and acme. */
export function startTestStandin(options: StandinOptions = {}): Promise<RunningStandin> {
  return startStandin({
    port: 0,
    dataPath: ':memory:',
    tokens: { demo: DEMO, acme: ACME },
    jobDelayMs: 200,
    ...options,
    rateLimit: { rate: 0, burst: 1, ...options.rateLimit },
  });
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer is JSON, else undefined. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  bytes: Buffer;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Raw body (sent as is); wins over `body`. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** One HTTP call to the stand-in; `token` defaults to demo's (null: none). */
export async function call(standin: RunningStandin, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? DEMO : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined = options.raw;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await request(`${standin.url}${path}`, { method: method as 'GET', headers, body });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const type = String(response.headers['content-type'] ?? '');
  return {
    status: response.statusCode,
    headers: response.headers,
    json: type.includes('json') && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined,
    bytes,
  };
}

/** An admin call (admin token). */
export function admin(standin: RunningStandin, method: string, path: string, body?: unknown): Promise<CallResult> {
  return call(standin, method, path, { token: ADMIN, body });
}

/** Creates a resource and returns its id; fails loudly on anything but 201. */
export async function create(standin: RunningStandin, collection: string, body: object, token = DEMO): Promise<string> {
  const result = await call(standin, 'POST', `/v1/${collection}`, { body, token });
  if (result.status !== 201) throw new Error(`create ${collection}: ${result.status} ${result.bytes.toString()}`);
  return result.json.id as string;
}

export const project = (ref: string, extra: object = {}): object => ({
  externalRef: ref,
  code: 'NRD',
  name: 'Noord',
  status: 'IN_PROGRESS',
  ...extra,
});

export const connection = (ref: string, projectId: string, address: object = {}): object => ({
  externalRef: ref,
  projectId,
  address: { postcode: '1234AB', houseNumber: 1, street: 'Dorpsstraat', city: 'Utrecht', ...address },
  type: 'RESIDENTIAL',
  status: 'NEW',
});

export const workOrder = (ref: string, connectionId: string): object => ({ externalRef: ref, connectionId, type: 'SURVEY' });

export const contractor = (ref: string): object => ({ externalRef: ref, name: 'Graafbedrijf De Vries', kvkNumber: '12345678' });

/** A project, a connection under it and a work order under that. */
export async function workOrderChain(standin: RunningStandin, prefix: string): Promise<{ projectId: string; connectionId: string; workOrderId: string }> {
  const projectId = await create(standin, 'projects', project(`${prefix}:p`));
  const connectionId = await create(standin, 'connections', connection(`${prefix}:c`, projectId));
  const workOrderId = await create(standin, 'work-orders', workOrder(`${prefix}:w`, connectionId));
  return { projectId, connectionId, workOrderId };
}

/** The Content-Digest header value of some bytes. */
export function digestOf(bytes: Buffer | string): string {
  return `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`;
}

/** Uploads a document. */
export function putDocument(
  standin: RunningStandin,
  workOrderId: string,
  ref: string,
  bytes: Buffer | string,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  return call(standin, 'PUT', `/v1/work-orders/${workOrderId}/documents/${encodeURIComponent(ref)}`, {
    raw: bytes,
    headers: { 'content-type': 'application/pdf', 'x-file-name': 'survey.pdf', 'content-digest': digestOf(bytes), ...headers },
  });
}

export { setTimeout as sleep } from 'node:timers/promises';
