// /metrics in Prometheus format: request counts and latencies per verb and
// resource, open watches, and store latency.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter;
  private readonly latency: Histogram;
  readonly storeLatency: Histogram;

  constructor(watchCount: () => number) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, resource, subresource and HTTP response code.',
      labelNames: ['verb', 'resource', 'subresource', 'code'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, resource and subresource.',
      labelNames: ['verb', 'resource', 'subresource'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    this.storeLatency = new Histogram({
      name: 'apiserver_storage_request_duration_seconds',
      help: 'Store request latency in seconds for each operation.',
      labelNames: ['operation'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers: [this.registry],
    });
    new Gauge({
      name: 'apiserver_registered_watchers',
      help: 'Number of currently registered watchers.',
      registers: [this.registry],
      collect() {
        this.set(watchCount());
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** One counter and histogram child per label set: prom-client validates and hashes labels on every call otherwise. */
  private readonly children = new Map<string, { count: { inc(): void }; latency: { observe(v: number): void } }>();

  observeRequest(verb: string, resource: string, subresource: string, code: number, seconds: number): void {
    const key = `${verb} ${resource} ${subresource} ${code}`;
    let c = this.children.get(key);
    if (!c) {
      const labels = { verb, resource, subresource };
      c = { count: this.requests.labels({ ...labels, code: String(code) }), latency: this.latency.labels(labels) };
      this.children.set(key, c);
    }
    c.count.inc();
    if (verb !== 'WATCH') c.latency.observe(seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
