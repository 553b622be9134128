/**
 * Base class of every error the engine raises on purpose. `context` carries
 * typed details for logs and the CLI; it never holds secrets.
 */
export class MigrationError<TContext extends Record<string, unknown> = Record<string, unknown>> extends Error {
  public readonly context: TContext;

  public constructor(message: string, context: TContext, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** A customer profile file is missing, unreadable, cyclic or fails its schema. */
export class ProfileError extends MigrationError<{ profile: string; issues?: string[] }> {}

/** Input to a command or handler is not what it must be (unknown option, bad value). */
export class InvalidInputError extends MigrationError<{ input: string; issue: string }> {}
