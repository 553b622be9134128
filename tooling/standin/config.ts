import type { FieldIssue } from '../../src/domain/index.ts';
import { ConfigError } from './errors.ts';
import type { DropPhase, FaultSettings, RateLimitSettings, StandinConfig, StandinOptions } from './types.ts';

/** The configuration when nothing is set. */
export const DEFAULT_CONFIG: Readonly<StandinConfig> = Object.freeze<StandinConfig>({
  port: 4010,
  host: '127.0.0.1',
  dataPath: '.local/fiberconnect/fiberconnect.sqlite',
  tokens: { demo: 'demo-token' },
  adminToken: 'admin-token',
  rateLimit: { rate: 100, burst: 100 },
  jobDelayMs: 3000,
  faults: { latencyMs: 0, errorRate: 0, dropRate: 0, force429Rate: 0, dropPhase: 'random', seed: null, failPaths: [], failStatus: 503 },
});

const DROP_PHASES: readonly DropPhase[] = ['before', 'after', 'random'];

type Check = (value: unknown) => string | null;

const share: Check = (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? null : 'must be a number from 0 to 1');
const nonNegative: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'must be a number ≥ 0');
const nonNegativeInt: Check = (v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? null : 'must be an integer ≥ 0');
const positive: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 1 ? null : 'must be a number ≥ 1');
const nonEmpty: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string');

const FAULT_CHECKS: Record<keyof FaultSettings, Check> = {
  latencyMs: nonNegative,
  errorRate: share,
  dropRate: share,
  force429Rate: share,
  dropPhase: (v) => (DROP_PHASES.includes(v as DropPhase) ? null : `must be one of ${DROP_PHASES.join(', ')}`),
  seed: (v) => (v === null || Number.isSafeInteger(v) ? null : 'must be an integer or null'),
  failPaths: (v) =>
    Array.isArray(v) && v.every((path) => typeof path === 'string' && path.startsWith('/v1/')) ? null : 'must be a list of paths starting with /v1/',
  failStatus: (v) => (v === 403 || v === 503 ? null : 'must be 403 or 503'),
};

const RATE_LIMIT_CHECKS: Record<keyof RateLimitSettings, Check> = { rate: nonNegative, burst: positive };

/** Whether `host` names this machine only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: unknown): boolean {
  return typeof host === 'string' && (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
}

/** Issues of a partial settings object against its checks; unknown fields are issues too. */
function issuesOf(input: unknown, checks: Record<string, Check>): FieldIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ field: '', issue: 'must be an object' }];
  }
  return Object.entries(input).flatMap(([field, value]) => {
    const check = checks[field];
    const issue = check ? check(value) : 'is not a known setting';
    return issue ? [{ field, issue }] : [];
  });
}

/** Issues of a partial {@link FaultSettings} (the body of `PUT /admin/faults`). */
export function faultIssues(input: unknown): FieldIssue[] {
  return issuesOf(input, FAULT_CHECKS);
}

/** Issues of a partial {@link RateLimitSettings} (the body of `PUT /admin/rate-limit`). */
export function rateLimitIssues(input: unknown): FieldIssue[] {
  return issuesOf(input, RATE_LIMIT_CHECKS);
}

/**
 * The full configuration from options over the defaults.
 * @param names how to call an option in the error message (`faults.errorRate` → `FIBERCONNECT_ERROR_RATE`).
 * @throws ConfigError naming the first invalid option.
 */
export function resolveConfig(options: StandinOptions = {}, names: Record<string, string> = {}): StandinConfig {
  const config: StandinConfig = {
    ...DEFAULT_CONFIG,
    ...options,
    tokens: { ...(options.tokens ?? DEFAULT_CONFIG.tokens) },
    rateLimit: { ...DEFAULT_CONFIG.rateLimit, ...options.rateLimit },
    faults: { ...DEFAULT_CONFIG.faults, ...options.faults },
  };
  const issues: [string, string][] = [
    ...faultIssues(config.faults).map((i): [string, string] => [`faults.${i.field}`, i.issue]),
    ...rateLimitIssues(config.rateLimit).map((i): [string, string] => [`rateLimit.${i.field}`, i.issue]),
  ];
  const port = config.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) issues.push(['port', 'must be an integer from 0 to 65535']);
  for (const name of ['dataPath', 'adminToken'] as const) {
    const issue = nonEmpty(config[name]);
    if (issue) issues.push([name, issue]);
  }
  if (!isLoopback(config.host))
    issues.push(['host', "must be a loopback address (127.0.0.1, ::1 or localhost): the stand-in holds customers' data and answers any token it was given"]);
  const jobIssue = nonNegativeInt(config.jobDelayMs);
  if (jobIssue) issues.push(['jobDelayMs', jobIssue]);
  const tokens = Object.entries(config.tokens);
  if (tokens.length === 0 || tokens.some(([customer, token]) => !customer || !token)) {
    issues.push(['tokens', 'must map at least one customer to a non-empty token']);
  } else if (new Set(tokens.map(([, token]) => token)).size !== tokens.length) {
    issues.push(['tokens', 'must differ per customer']);
  }
  const first = issues[0];
  if (first) {
    const [path, issue] = first;
    throw new ConfigError(`Invalid FiberConnect stand-in configuration: ${names[path] ?? path} ${issue}`);
  }
  return config;
}

/** Parses `customer:token,customer:token`. */
function parseTokens(value: string): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) {
      throw new ConfigError(`Invalid FiberConnect stand-in configuration: FIBERCONNECT_TOKENS entry "${pair}" is not customer:token`);
    }
    tokens[pair.slice(0, colon)] = pair.slice(colon + 1);
  }
  return tokens;
}

/** A number from an environment variable, or a ConfigError naming the variable. */
function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new ConfigError(`Invalid FiberConnect stand-in configuration: ${name} must be a number (got "${raw}")`);
  }
  return value;
}

/** Environment variable of each numeric option. */
const NUMERIC_ENV: Record<string, string> = {
  port: 'PORT',
  'rateLimit.rate': 'FIBERCONNECT_RATE',
  'rateLimit.burst': 'FIBERCONNECT_BURST',
  jobDelayMs: 'FIBERCONNECT_JOB_DELAY_MS',
  'faults.latencyMs': 'FIBERCONNECT_LATENCY_MS',
  'faults.errorRate': 'FIBERCONNECT_ERROR_RATE',
  'faults.dropRate': 'FIBERCONNECT_DROP_RATE',
  'faults.force429Rate': 'FIBERCONNECT_FORCE_429',
  'faults.seed': 'FIBERCONNECT_FAULT_SEED',
  'faults.failStatus': 'FIBERCONNECT_FAIL_STATUS',
};

/** Environment variable of each other option, for error messages. */
const ENV_NAMES: Record<string, string> = {
  ...NUMERIC_ENV,
  host: 'FIBERCONNECT_HOST',
  dataPath: 'FIBERCONNECT_DATA',
  adminToken: 'FIBERCONNECT_ADMIN_TOKEN',
  tokens: 'FIBERCONNECT_TOKENS',
  'faults.dropPhase': 'FIBERCONNECT_DROP_PHASE',
  'faults.failPaths': 'FIBERCONNECT_FAIL_PATHS',
};

/** Every environment variable the stand-in reads (`make target-api`): the CLI leaves them alone in its environment. */
export const STANDIN_ENVIRONMENT: readonly string[] = [...new Set(Object.values(ENV_NAMES))];

/**
 * The configuration from environment variables (PORT, FIBERCONNECT_*), over the defaults. The
 * host is FIBERCONNECT_HOST, not HOST: shells and containers set HOST for their own ends.
 * @throws ConfigError with a one-line message naming the first invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): StandinConfig {
  const faults: Record<string, unknown> = {};
  const rateLimit: Record<string, unknown> = {};
  const top: Record<string, unknown> = {};
  for (const [path, name] of Object.entries(NUMERIC_ENV)) {
    const value = envNumber(env, name);
    if (value === undefined) continue;
    const [group, field] = path.split('.') as [string, string | undefined];
    if (field === undefined) top[group] = value;
    else (group === 'faults' ? faults : rateLimit)[field] = value;
  }
  if (env.FIBERCONNECT_HOST) top.host = env.FIBERCONNECT_HOST;
  if (env.FIBERCONNECT_DATA) top.dataPath = env.FIBERCONNECT_DATA;
  if (env.FIBERCONNECT_ADMIN_TOKEN) top.adminToken = env.FIBERCONNECT_ADMIN_TOKEN;
  if (env.FIBERCONNECT_TOKENS) top.tokens = parseTokens(env.FIBERCONNECT_TOKENS);
  if (env.FIBERCONNECT_DROP_PHASE) faults.dropPhase = env.FIBERCONNECT_DROP_PHASE;
  if (env.FIBERCONNECT_FAIL_PATHS)
    faults.failPaths = env.FIBERCONNECT_FAIL_PATHS.split(',')
      .map((path) => path.trim())
      .filter(Boolean);
  return resolveConfig({ ...top, faults, rateLimit } as StandinOptions, ENV_NAMES);
}
