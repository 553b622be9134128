import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_SSM_PORT, LOCAL_ACCOUNT_ID, LOCAL_HOST, LOCAL_REGION } from './constants.ts';
import { AwsApiError } from './errors.ts';
import type { ParameterType, ParameterValue, SsmEndpointOptions } from './types.ts';

const TARGET_PREFIX = 'AmazonSSM.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** GetParametersByPath's page size limit (and default), GetParameters' name limit. */
const MAX_RESULTS = 10;

interface StoredParameter extends ParameterValue {
  version: number;
  lastModified: number;
}

interface Request {
  Name?: string;
  Names?: string[];
  Path?: string;
  Recursive?: boolean;
  WithDecryption?: boolean;
  MaxResults?: number;
  NextToken?: string;
}

function apiError(type: string, message: string = type): AwsApiError {
  return new AwsApiError(message, { type, status: 400 });
}

/**
 * Stands in for KMS ciphertext: what Parameter Store returns for a
 * SecureString read without decryption. Opaque and not reversible, so code
 * that forgets `decrypt: true` fails here as it would on AWS.
 */
function pseudoCiphertext(value: string): string {
  return `AQICAH${createHash('sha256').update(value).digest('base64')}`;
}

/**
 * A local Parameter Store (AWS JSON 1.1): GetParameter, GetParameters and
 * GetParametersByPath (Recursive, MaxResults, NextToken) over an in-memory
 * map, so Powertools' SSMProvider and `@aws-sdk/client-ssm` work unchanged
 * with AWS_ENDPOINT_URL_SSM pointing here. Errors carry AWS's `__type`
 * (`ParameterNotFound`, `ValidationException`).
 */
export class SsmEndpoint {
  readonly #parameters = new Map<string, StoredParameter>();
  readonly #port: number;
  readonly #region: string;
  readonly #accountId: string;
  #server: FastifyInstance | undefined;
  #url: string | undefined;

  public constructor(options: SsmEndpointOptions = {}) {
    this.#port = options.port ?? DEFAULT_SSM_PORT;
    this.#region = options.region ?? LOCAL_REGION;
    this.#accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    for (const [name, parameter] of Object.entries(options.parameters ?? {})) this.put(name, parameter.value, parameter.type);
  }

  /** The endpoint's URL, for AWS_ENDPOINT_URL_SSM. Only after {@link start}. */
  public get url(): string {
    if (!this.#url) throw new Error('SsmEndpoint is not started');
    return this.#url;
  }

  /** Creates or overwrites a parameter; its version goes up as on AWS. */
  public put(name: string, value: string, type: ParameterType = 'String'): void {
    const version = (this.#parameters.get(name)?.version ?? 0) + 1;
    this.#parameters.set(name, { value, type, version, lastModified: Date.now() });
  }

  /** Removes a parameter; true when it existed. */
  public delete(name: string): boolean {
    return this.#parameters.delete(name);
  }

  /** Listens on 127.0.0.1 (port 0 picks a free one). */
  public async start(): Promise<string> {
    const server = Fastify({ logger: false });
    server.addContentTypeParser(CONTENT_TYPE, { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, body ? JSON.parse(body as string) : {});
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    server.post('/', async (request, reply) => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
      reply.header('content-type', CONTENT_TYPE);
      try {
        return this.#handle(operation, (request.body ?? {}) as Request);
      } catch (error) {
        if (!(error instanceof AwsApiError)) throw error;
        const { type, status } = error.context;
        // AWS sends ParameterNotFound with no message; the SDK names the exception after __type.
        return reply.code(status).send(error.message === type ? { __type: type } : { __type: type, message: error.message });
      }
    });
    const address = await server.listen({ port: this.#port, host: LOCAL_HOST });
    this.#server = server;
    this.#url = address;
    return address;
  }

  /** Stops listening. */
  public async close(): Promise<void> {
    await this.#server?.close();
    this.#server = undefined;
  }

  #handle(operation: string, body: Request): Record<string, unknown> {
    const decrypt = body.WithDecryption === true;
    switch (operation) {
      case 'GetParameter': {
        const name = body.Name ?? '';
        if (!this.#parameters.has(name)) throw apiError('ParameterNotFound');
        return { Parameter: this.#describe(name, decrypt) };
      }
      case 'GetParameters': {
        const names = body.Names ?? [];
        if (names.length === 0 || names.length > MAX_RESULTS) {
          throw apiError('ValidationException', `Names must hold between 1 and ${MAX_RESULTS} names`);
        }
        const unique = [...new Set(names)];
        return {
          Parameters: unique.filter((name) => this.#parameters.has(name)).map((name) => this.#describe(name, decrypt)),
          InvalidParameters: unique.filter((name) => !this.#parameters.has(name)),
        };
      }
      case 'GetParametersByPath':
        return this.#byPath(body, decrypt);
      default:
        throw apiError('UnknownOperationException', `${operation} is not served by the local Parameter Store`);
    }
  }

  #byPath(body: Request, decrypt: boolean): Record<string, unknown> {
    const path = body.Path ?? '';
    if (!path.startsWith('/')) throw apiError('ValidationException', 'Path must begin with /');
    const maxResults = body.MaxResults ?? MAX_RESULTS;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
      throw apiError('ValidationException', `MaxResults must be between 1 and ${MAX_RESULTS}`);
    }
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const after = body.NextToken ? Buffer.from(body.NextToken, 'base64url').toString('utf8') : '';
    const matching = [...this.#parameters.keys()]
      .filter((name) => name.startsWith(prefix) && (body.Recursive === true || !name.slice(prefix.length).includes('/')))
      .sort()
      .filter((name) => name > after);
    const page = matching.slice(0, maxResults);
    const last = page.at(-1);
    return {
      Parameters: page.map((name) => this.#describe(name, decrypt)),
      ...(matching.length > maxResults && last ? { NextToken: Buffer.from(last, 'utf8').toString('base64url') } : {}),
    };
  }

  #describe(name: string, decrypt: boolean): Record<string, unknown> {
    const parameter = this.#parameters.get(name) as StoredParameter;
    return {
      Name: name,
      Type: parameter.type,
      Value: parameter.type === 'SecureString' && !decrypt ? pseudoCiphertext(parameter.value) : parameter.value,
      Version: parameter.version,
      // The JSON protocol carries timestamps as epoch seconds.
      LastModifiedDate: parameter.lastModified / 1000,
      ARN: `arn:aws:ssm:${this.#region}:${this.#accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      DataType: 'text',
    };
  }
}
