/**
 * The FiberConnect HTTP client (undici) and its per-customer cache. A face of its own, apart from target/'s:
 * the engine loads it on first use (import()), so a function that never calls FiberConnect never loads it.
 *
 * @packageDocumentation
 */
export { targetClientFor } from './client-cache.ts';
export { FiberConnectClient } from './fiberconnect-client.ts';
