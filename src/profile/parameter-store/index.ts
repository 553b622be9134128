/**
 * The Parameter Store readers: a customer's profile, FiberConnect's URL and token, the legacy server's URL
 * (one SSM client per warm instance). A face of its own, apart from profile/'s: a function that reads none of
 * them never reaches the SSM client, and the engine loads the legacy server's URL on first use (import()).
 *
 * @packageDocumentation
 */
export { getCustomerProfile, getLegacyDbUrl, getTargetAccess, parameterNames } from './parameters.ts';
