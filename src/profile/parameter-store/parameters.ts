import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidInputError } from '../../domain/index.ts';
import { DEFAULT_PROFILE, type ResolvedProfile } from '../index.ts';

/**
 * Names of the Parameter Store entries the engine reads. One prefix per stage
 * (`/fiberplan-migration/dev`); Terraform writes them, the local runtime serves
 * the same names from the profile files.
 */
export const parameterNames = {
  /** The customer's resolved profile (JSON String). */
  profile: (prefix: string, customer: string): string => `${prefix}/customers/${customer}/profile`,
  /** The customer's FiberConnect bearer token (SecureString). */
  targetToken: (prefix: string, customer: string): string => `${prefix}/customers/${customer}/fiberconnect-token`,
  /** FiberConnect's base URL (String). */
  targetUrl: (prefix: string): string => `${prefix}/fiberconnect-url`,
  /** The legacy FiberPlan server, `mysql://user:password@host:port` (SecureString). */
  legacyDbUrl: (prefix: string): string => `${prefix}/legacy-db-url`,
};

// Module scope: one SDK client and one cache per warm instance. The endpoint
// comes from AWS_ENDPOINT_URL_SSM when set (LocalStack, local runtime).
const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });

/** Seconds a value stays cached in a warm instance: a re-run picks up profile edits within this time. */
const MAX_AGE_SECONDS = 60;

function prefix(): string {
  const value = process.env.PARAMETER_PREFIX;
  if (!value) throw new InvalidInputError('PARAMETER_PREFIX is not set', { input: 'PARAMETER_PREFIX', issue: 'missing' });
  return value.replace(/\/+$/, '');
}

async function required(name: string, decrypt: boolean): Promise<string> {
  const value = await provider.get(name, { decrypt, maxAge: MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(`parameter ${name} is missing or empty`, { input: name, issue: 'missing' });
  }
  return value;
}

function isNotFound(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e.name === 'ParameterNotFound' || e.message.includes('ParameterNotFound')) return true;
  return false;
}

/**
 * The customer's resolved profile as stored in Parameter Store; the default
 * profile when the customer has none (docs/profiles.md: a customer with no profile file
 * runs on the default profile).
 *
 * @example
 * const profile = await getCustomerProfile('acme'); // resolved by `make build`, put in Parameter Store by the deploy
 * const settings = effectiveSettings(profile, parseRunOverrides(options));
 */
export async function getCustomerProfile(customer: string): Promise<ResolvedProfile> {
  try {
    return JSON.parse(await required(parameterNames.profile(prefix(), customer), false)) as ResolvedProfile;
  } catch (error) {
    if (!isNotFound(error) || customer === DEFAULT_PROFILE) throw error;
    const profile = JSON.parse(await required(parameterNames.profile(prefix(), DEFAULT_PROFILE), false)) as ResolvedProfile;
    return { ...profile, customer };
  }
}

/** Base URL and token to reach FiberConnect as this customer. */
export async function getTargetAccess(customer: string): Promise<{ baseUrl: string; token: string }> {
  const [baseUrl, token] = await Promise.all([
    required(parameterNames.targetUrl(prefix()), false),
    required(parameterNames.targetToken(prefix(), customer), true),
  ]);
  return { baseUrl, token };
}

/** Where the legacy FiberPlan databases are. */
export async function getLegacyDbUrl(): Promise<string> {
  return required(parameterNames.legacyDbUrl(prefix()), true);
}
