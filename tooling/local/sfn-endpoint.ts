import Fastify, { type FastifyInstance } from 'fastify';
import { StepFunctionsApiError, type LocalExecution, type LocalStepFunctions } from './step-functions.ts';

const TARGET_PREFIX = 'AWSStepFunctions.';

function describe(execution: LocalExecution): Record<string, unknown> {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    // The JSON 1.0 protocol carries timestamps as epoch seconds.
    startDate: execution.startDate.getTime() / 1000,
    ...(execution.stopDate ? { stopDate: execution.stopDate.getTime() / 1000 } : {}),
    input: execution.input,
    ...(execution.output !== undefined ? { output: execution.output } : {}),
    ...(execution.error !== undefined ? { error: execution.error } : {}),
    ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
  };
}

/**
 * A local Step Functions API (AWS JSON 1.0) in front of {@link LocalStepFunctions},
 * answering the three calls the CLI makes, so `@aws-sdk/client-sfn` works
 * unchanged with AWS_ENDPOINT_URL_SFN pointing here.
 */
export async function startSfnEndpoint(stepFunctions: LocalStepFunctions, port = 0, host = '127.0.0.1'): Promise<{ url: string; server: FastifyInstance }> {
  const server = Fastify({ logger: false });
  server.addContentTypeParser(/^application\/x-amz-json-1\.0/, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body ? JSON.parse(body as string) : {});
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  server.post('/', async (request, reply) => {
    const operation = String(request.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    reply.header('content-type', 'application/x-amz-json-1.0');
    try {
      switch (operation) {
        case 'StartExecution': {
          const execution = stepFunctions.start(body.stateMachineArn ?? '', body.input ?? '{}', body.name);
          return { executionArn: execution.executionArn, startDate: execution.startDate.getTime() / 1000 };
        }
        case 'DescribeExecution':
          return describe(stepFunctions.describe(body.executionArn ?? ''));
        case 'StopExecution': {
          const execution = stepFunctions.stop(body.executionArn ?? '', body.error, body.cause);
          return { stopDate: (execution.stopDate ?? new Date()).getTime() / 1000 };
        }
        default:
          return reply.code(400).send({ __type: 'UnknownOperationException', message: `${operation} is not served by the local runtime` });
      }
    } catch (error) {
      if (error instanceof StepFunctionsApiError) return reply.code(400).send({ __type: error.context.type, message: error.message });
      throw error;
    }
  });
  const address = await server.listen({ port, host });
  return { url: address, server };
}
