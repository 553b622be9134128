import { Logger } from '@aws-lambda-powertools/logger';

/** One Powertools logger per bundle, created at module scope; the service name comes from POWERTOOLS_SERVICE_NAME. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'fiberplan-migration' });
