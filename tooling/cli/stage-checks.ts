import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { InvalidInputError } from '../../src/domain/errors.ts';
import { parameterNames } from '../../src/profile/parameters.ts';
import type { PrecheckResult } from '../../src/source/types.ts';
import type { Backend } from './backend.ts';

/** Parameter Store prefix of a stage (Terraform's `parameter_prefix`). */
export function stagePrefix(stage: string): string {
  return `/fiberplan-migration/${stage}`;
}

/** Errors that mean "you may not read this", not "it is missing". */
const NO_PERMISSION = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'KMSAccessDeniedException']);

/**
 * The FiberConnect URL and the customer's token of a stage, read where the
 * functions read them (Parameter Store), or undefined when these
 * credentials may not read them. A missing token is bad input.
 */
export async function stageTargetAccess(stage: string, customer: string, ssm: SSMClient = new SSMClient({})): Promise<{ url: string; token: string } | undefined> {
  const read = async (name: string): Promise<string> => (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value ?? '';
  const prefix = stagePrefix(stage);
  try {
    const [url, token] = await Promise.all([read(parameterNames.targetUrl(prefix)), read(parameterNames.targetToken(prefix, customer))]);
    return { url, token };
  } catch (error) {
    const name = (error as Error).name;
    if (NO_PERMISSION.has(name)) return undefined;
    if (name === 'ParameterNotFound') {
      throw new InvalidInputError(`customer ${customer} has no FiberConnect token on stage ${stage} (${parameterNames.targetToken(prefix, customer)}): add it to TF_VAR_fiberconnect_tokens and apply (docs/deploy.md)`, { input: 'CUSTOMER', issue: 'no token' });
    }
    throw error;
  } finally {
    ssm.destroy();
  }
}

/**
 * The legacy pre-check of a stage, run by its precheck Lambda (synchronous
 * Invoke), which reaches the legacy database from inside the stage's network:
 * the customer is in the registry with active sub-projects. Any failure
 * (unknown customer, none active, database unreachable, the function itself
 * failing) is bad input at the start: one line, exit 2, nothing started.
 */
export async function stageLegacyPrecheck(backend: Pick<Backend, 'name' | 'stack' | 'lambda'>, customer: string): Promise<PrecheckResult> {
  const functionName = backend.stack.precheckFunctionName;
  const fail = (issue: string, message: string): never => {
    throw new InvalidInputError(`legacy pre-check on stage ${backend.name} failed: ${message}`, { input: 'CUSTOMER', issue });
  };
  if (!functionName) return fail('no precheck function', 'the stack description names no precheck function (apply the current Terraform: docs/deploy.md)');
  let answer: { FunctionError?: string; Payload?: Uint8Array };
  try {
    answer = await backend.lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify({ customer })) }));
  } catch (error) {
    return fail((error as Error).name, `cannot invoke ${functionName}: ${(error as Error).message}`);
  }
  const body = answer.Payload?.length ? (JSON.parse(Buffer.from(answer.Payload).toString('utf8')) as unknown) : undefined;
  if (answer.FunctionError) {
    const { errorType = answer.FunctionError, errorMessage = 'no message' } = (body ?? {}) as { errorType?: string; errorMessage?: string };
    return fail(errorType, errorMessage);
  }
  return body as PrecheckResult;
}
