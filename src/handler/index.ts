/**
 * What every Lambda handler shares: the engine's clients and stores built once per instance, the run
 * lifecycle and the verification wired on them, the logger, metrics and event parsing.
 *
 * @packageDocumentation
 */
export { getEngine, preload } from './engine.ts';
export { logger } from './logger.ts';
export { meteredRuns, meteredSender, meterSettled, type SettledRun } from './metered.ts';
export { ENGINE_METRICS, EngineMetrics, type EngineMetricName } from './metrics.ts';
export { withOutageErrors } from './outage-errors.ts';
export { fieldsParser, type EventFields, type VerifyPage, type VerifySettings } from './parse-event.ts';
