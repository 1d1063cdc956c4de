/** `iceleak serve`: the self-hosted WebRTC leak-test service. */
export {
  type AppDeps,
  type AppOptions,
  buildApp,
  newId,
  type ObserverPort,
  type PublicEndpoint,
} from './app.js';
export { createServiceMetrics, type ServiceMetrics } from './metrics.js';
export { loadProbeScript } from './probe-asset.js';
export { parseProbeReport, probeReportSchema, REPORT_LIMITS } from './report-schema.js';
export { type RunningService, type ServiceOptions, startService } from './service.js';
export { LeakTestResultStore, type LeakTestResultStoreOptions, MIGRATIONS, migrate } from './store.js';
