import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { InvalidInputError } from '../../src/domain/index.ts';
import { parameterNames } from '../../src/profile/parameter-store/index.ts';
import { sameTarget } from './runtime-state.ts';
import type { PrecheckResult } from '../../src/source/index.ts';
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
export async function stageTargetAccess(
  stage: string,
  customer: string,
  ssm: SSMClient = new SSMClient({}),
): Promise<{ url: string; token: string } | undefined> {
  const read = async (name: string): Promise<string> => (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value ?? '';
  const prefix = stagePrefix(stage);
  try {
    const [url, token] = await Promise.all([read(parameterNames.targetUrl(prefix)), read(parameterNames.targetToken(prefix, customer))]);
    return { url, token };
  } catch (error) {
    const name = (error as Error).name;
    if (NO_PERMISSION.has(name)) return undefined;
    if (name === 'ParameterNotFound') {
      throw new InvalidInputError(
        `customer ${customer} has no FiberConnect token on stage ${stage} (${parameterNames.targetToken(prefix, customer)}): add it to TF_VAR_fiberconnect_tokens and apply (docs/deploy.md)`,
        { input: 'CUSTOMER', issue: 'no token' },
      );
    }
    throw error;
  } finally {
    ssm.destroy();
  }
}

/**
 * The FiberConnect URL a stage was deployed against (Terraform's
 * `fiberconnect_url`, in Parameter Store), or undefined when these
 * credentials may not read it.
 */
export async function stageTargetUrl(stage: string, ssm: SSMClient = new SSMClient({})): Promise<string | undefined> {
  const name = parameterNames.targetUrl(stagePrefix(stage));
  try {
    return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value ?? '';
  } catch (error) {
    if (NO_PERMISSION.has((error as Error).name)) return undefined;
    if ((error as Error).name === 'ParameterNotFound')
      throw new InvalidInputError(`stage ${stage} has no FiberConnect URL (${name}): apply its Terraform first (docs/deploy.md)`, {
        input: 'STAGE',
        issue: 'no target url',
      });
    throw error;
  } finally {
    ssm.destroy();
  }
}

/**
 * A stage is deployed against one FiberConnect and its ledger belongs to it:
 * a FIBERCONNECT_URL naming another one (or one that cannot be compared) is
 * refused before anything starts.
 */
export async function assertStageTarget(stage: string, targetUrl: string, ssm?: SSMClient): Promise<void> {
  const deployed = await stageTargetUrl(stage, ssm);
  if (deployed === undefined) {
    throw new InvalidInputError(
      `FIBERCONNECT_URL is set but these AWS credentials may not read the FiberConnect URL of stage ${stage}: leave FIBERCONNECT_URL unset (a stage migrates into the FiberConnect it was deployed against)`,
      { input: 'FIBERCONNECT_URL', issue: 'unverifiable' },
    );
  }
  if (!sameTarget(deployed, targetUrl)) {
    throw new InvalidInputError(
      `stage ${stage} migrates into ${deployed}, not ${targetUrl}: leave FIBERCONNECT_URL unset, or use the stage deployed against that target (docs/architecture.md, one ledger per target)`,
      { input: 'FIBERCONNECT_URL', issue: 'other target' },
    );
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
    answer = await backend.lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify({ customer })) }),
    );
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
