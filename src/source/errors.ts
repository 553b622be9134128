import { MigrationError } from '../domain/errors.ts';

/** The legacy database cannot be reached or refused the login. `address` never holds the password. */
export class LegacyDbUnreachableError extends MigrationError<{ address: string; cause: string }> {}

/** A name that must be a registered sub-project database is not one. */
export class UnknownSubprojectError extends MigrationError<{ databaseName: string }> {}
