import type { FieldIssue } from '../../src/domain/index.ts';
import type { Resource } from './types.ts';

/** The error body of docs/fiberconnect-api.md (errors); `current` is the resource as it is, with a 412 (conditional requests). */
export interface ErrorBody {
  error: { code: string; message: string; details?: FieldIssue[]; existingId?: string; current?: Resource | null };
}

/** What an {@link ApiError} carries beyond status, code and message. */
export interface ApiErrorExtra {
  details?: FieldIssue[];
  existingId?: string;
  /** The resource as it is now (null: there is none), for 412 `version_mismatch`. */
  current?: Resource | null;
  headers?: Record<string, string>;
}

/** An error answer of the API: thrown by routes and hooks, rendered by the error handler. */
export class ApiError extends Error {
  public readonly status: number;
  public readonly code: string;
  public readonly details: FieldIssue[] | undefined;
  public readonly existingId: string | undefined;
  public readonly current: Resource | null | undefined;
  public readonly headers: Record<string, string>;

  public constructor(status: number, code: string, message: string, extra: ApiErrorExtra = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = extra.details;
    this.existingId = extra.existingId;
    this.current = extra.current;
    this.headers = extra.headers ?? {};
  }

  /** The JSON body of this error. */
  public toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details) error.details = this.details;
    if (this.existingId) error.existingId = this.existingId;
    if (this.current !== undefined) error.current = this.current;
    return { error };
  }
}

/** 400: the request cannot be read (bad JSON, bad header or query value). */
export function malformed(message: string, details?: FieldIssue[]): ApiError {
  return new ApiError(400, 'malformed_request', message, details ? { details } : {});
}

/** 404 for an id that does not exist for this customer. */
export function notFound(what: string): ApiError {
  return new ApiError(404, 'not_found', `${what} not found`);
}

/** 422 `validation_failed` naming every field at fault. */
export function validationFailed(details: FieldIssue[]): ApiError {
  return new ApiError(422, 'validation_failed', 'the request body is not valid', { details });
}

/** 409 `duplicate_external_ref` pointing at the resource that holds the externalRef. */
export function duplicateExternalRef(existingId: string): ApiError {
  return new ApiError(409, 'duplicate_external_ref', 'a resource with this externalRef already exists', {
    existingId,
  });
}

/** 422 `immutable_field`: a patch would change a field the server keeps (externalRef, id, version, …). */
export function immutableField(fields: readonly string[]): ApiError {
  return new ApiError(422, 'immutable_field', `${fields.join(', ')} cannot change`, {
    details: fields.map((field) => ({ field, issue: 'cannot change' })),
  });
}

/** 412 `version_mismatch`: If-Match names another version than the resource's; `current` is the resource (null: none). */
export function versionMismatch(current: Resource | null): ApiError {
  const message = current ? `the resource is at version ${current.version}` : 'the resource does not exist';
  return new ApiError(412, 'version_mismatch', message, { current });
}

/** Invalid stand-in configuration; its message is one line fit for a terminal. */
export class ConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
