import { MigrationError } from '../../src/domain/index.ts';

/** A port the local runtime needs is taken (often: another local runtime is running). */
export class PortInUseError extends MigrationError<{ service: string; port: number }> {}

/**
 * The data directory is already served by a running local runtime. Two
 * dynalite servers on one LevelDB path crash the host process, so the second
 * one is refused up front.
 */
export class DataDirInUseError extends MigrationError<{ dataDir: string; pid: number }> {}

/** An Invoke named a function the local Lambda endpoint does not serve. */
export class FunctionNotFoundError extends MigrationError<{ functionName: string }> {}

/**
 * An error a local AWS endpoint answers with: `type` is AWS's error code
 * (`ParameterNotFound`, `ValidationException`...), which the SDK turns into
 * the exception's name.
 */
export class AwsApiError extends MigrationError<{ type: string; status: number }> {}

/** An emulator listens on an address other than the loopback one (its install patch is missing): the runtime refuses to run. */
export class NotOnLoopbackError extends MigrationError<{ service: string; host: string }> {}
