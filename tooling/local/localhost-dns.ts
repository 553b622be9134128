/**
 * Makes `*.localhost` names resolve to 127.0.0.1 in this thread (RFC 6761
 * §6.3 says they should; glibc without systemd-resolved does not).
 *
 * Why: fauxqs writes queue URLs as `http://sqs.<region>.localhost:<port>/...`,
 * and an SQSClient sends each call to the QueueUrl's host unless `endpoint`
 * is set in code (the SDK's useQueueUrlAsEndpoint; an AWS_ENDPOINT_URL_SQS
 * endpoint does not count and only adds a warning per call when it differs).
 * So the local runtime addresses SQS by that same origin, and every thread
 * that talks to it resolves the name: Lambda workers do it before loading a
 * bundle, {@link LocalEmulators.start} does it for its host process, and a
 * separate process (the CLI) calls this itself.
 *
 * Loaded by Node itself in Lambda worker threads: erasable TypeScript only.
 */
import dns from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

const SUFFIX = '.localhost';
const LOOPBACK = { address: '127.0.0.1', family: 4 };

let original: typeof dns.lookup | undefined;
let users = 0;

function patched(hostname: string, options: unknown, callback?: LookupCallback): void {
  const done = (typeof options === 'function' ? options : callback) as LookupCallback;
  if (!hostname.endsWith(SUFFIX)) {
    (original as (...args: unknown[]) => void)(hostname, ...(typeof options === 'function' ? [] : [options]), done);
    return;
  }
  if (typeof options === 'object' && options !== null && (options as dns.LookupAllOptions).all) done(null, [LOOPBACK]);
  else done(null, LOOPBACK.address, LOOPBACK.family);
}

/**
 * Installs the resolver (once per thread, however often it is called).
 *
 * @returns a release function; the original resolver comes back when every caller released
 */
export function resolveLocalhostSubdomains(): () => void {
  if (users === 0) {
    original = dns.lookup;
    dns.lookup = patched as typeof dns.lookup;
  }
  users += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users -= 1;
    if (users === 0 && original) dns.lookup = original;
  };
}
