/**
 * The migration's use case: the producer, the consumer's delivery steps (plan, send, settle, record),
 * run settings, queue messages of both kinds and the narrow ports they use.
 *
 * @packageDocumentation
 */
export { Consumer } from './consumer.ts';
export { boundedCall } from './deadline.ts';
export { FUNCTION_VARIABLES, readEngineEnvironment, type EngineEnvironment, type FunctionVariable } from './environment.ts';
export { MalformedMessageError, TransientDeliveryError } from './errors.ts';
export { encodeMessageBody, sendMessages } from './message-packing.ts';
export { MissingRemover, type DeleteShare, type RemovalStep } from './missing-remover.ts';
export { ObjectStore } from './object-store.ts';
export { Producer, rowChecksum, type ProducerScope } from './producer.ts';
export { assertQueueMessage, parseQueueBody } from './queue-message.ts';
export { LIVE_RUN_CACHE_MS } from './run-gate.ts';
export { effectiveSettings, parseRunOverrides } from './run-settings.ts';
export { readSourcePage } from './source-page.ts';
export type {
  BatchSender,
  IdRange,
  PageState,
  PipelineRuns,
  QueueMessage,
  RatePacer,
  RemovableCollection,
  RemovalMessage,
  RemovalRecord,
  RunSettings,
  SourceQueries,
  TargetSender,
} from './types.ts';
