import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The service's Prometheus metrics, on their own registry (several services can run in one process, e.g. tests). */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly sessions: Counter;
  readonly results: Counter<'verdict'>;
  readonly rejected: Counter<'code'>;
  readonly observations: Counter<'kind' | 'attributed'>;
  readonly reportWait: Histogram;
  readonly probeDuration: Histogram;
}

/** Creates the metrics; `processMetrics` adds prom-client's default process metrics. */
export function createServiceMetrics(options: { processMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    sessions: new Counter({
      name: 'iceleak_sessions_created_total',
      help: 'Leak-test sessions started',
      registers,
    }),
    results: new Counter({
      name: 'iceleak_results_total',
      help: 'Results stored, by verdict',
      labelNames: ['verdict'] as const,
      registers,
    }),
    rejected: new Counter({
      name: 'iceleak_reports_rejected_total',
      help: 'Probe reports refused, by error code',
      labelNames: ['code'] as const,
      registers,
    }),
    observations: new Counter({
      name: 'iceleak_observations_total',
      help: 'STUN Binding requests and ICE checks the observer saw',
      labelNames: ['kind', 'attributed'] as const,
      registers,
    }),
    reportWait: new Histogram({
      name: 'iceleak_report_ice_wait_seconds',
      help: 'How long a report waited for the browser ICE checks',
      buckets: [0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5],
      registers,
    }),
    probeDuration: new Histogram({
      name: 'iceleak_probe_duration_seconds',
      help: 'Probe duration as the page measured it',
      buckets: [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5],
      registers,
    }),
  };
}
