import { FAKE_CREDENTIALS, LOCAL_REGION } from './constants.ts';
import type { ServiceEndpoints } from './types.ts';

/**
 * The environment a handler (or the CLI) needs to reach the local runtime
 * through unchanged SDK clients: the standard AWS_ENDPOINT_URL_* variables,
 * region and credentials the emulators accept, plus the caller's extras
 * (PARAMETER_PREFIX, table and queue names...), which win.
 *
 * S3 path-style addressing: the SDK v3 for JavaScript has no environment
 * variable for `forcePathStyle` (`AWS_S3_FORCE_PATH_STYLE` is not read by
 * it), and its default, virtual-hosted style, would send
 * `bucket.localhost:4566`, which does not resolve without DNS tricks. But the
 * S3 endpoint rules choose path-style by themselves when the endpoint's host
 * is an IP address, so `AWS_ENDPOINT_URL_S3=http://127.0.0.1:<port>` gives
 * path-style requests, which fauxqs serves, with no client option and no
 * code difference between runtimes. Keep the S3 endpoint on 127.0.0.1,
 * never `localhost`.
 *
 * SQS is the other way round: its endpoint is the origin of fauxqs' queue
 * URLs, `http://sqs.<region>.localhost:<port>`, which localhost-dns.ts
 * resolves to loopback (why: see there). Pass the emulators' endpoints
 * through unchanged.
 *
 * @param endpoints - where each service answers
 * @param extras - further variables; they override the computed ones
 */
export function buildRuntimeEnv(endpoints: ServiceEndpoints, extras: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SSM: endpoints.ssm,
    AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    // Nothing local answers the instance metadata service; skip the SDK's probe.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extras,
  };
}
