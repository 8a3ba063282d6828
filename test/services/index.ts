export type { ServiceLine, ServiceName } from './daemon.js';
export { DEFAULT_PORTS, servicesDown, servicesStatus, servicesUp } from './daemon.js';
export { SERVICE_ERROR, ServiceError } from './errors.js';
export type { IacScanners } from './iac-scanners.js';
export { ensureIacScannersInstalled, IAC_SCANNERS } from './iac-scanners.js';
export type { MotoServer, StartMotoOptions } from './moto.js';
export { ensureMotoInstalled, isMotoHealthy, startMoto } from './moto.js';
export type { OpenSearchNode, StartOpenSearchOptions } from './opensearch.js';
export {
  DEFAULT_OPENSEARCH_VERSION,
  ensureOpenSearchInstalled,
  isOpenSearchHealthy,
  nodeConfig,
  startOpenSearch,
} from './opensearch.js';
export { freePort } from './process.js';
export { cacheDir } from './tools.js';
