import { SluiceError } from '../../core/errors.js';

/** Stable codes of the real-service harness. */
export const SERVICE_ERROR = {
  toolMissing: 'SERVICES_TOOL_MISSING',
  installFailed: 'SERVICES_INSTALL_FAILED',
  startFailed: 'SERVICES_START_FAILED',
  notHealthy: 'SERVICES_NOT_HEALTHY',
} as const;

/**
 * A local service (OpenSearch node, moto server) could not be installed or started. The message
 * says what to install or where the service's log is; integration tests fail on it, never skip.
 */
export class ServiceError extends SluiceError {}
