// What an operator watches: Prometheus metrics (through prom-client) at /metrics, and the Open
// Inference Protocol's statistics per model version at /v2/models/{name}/stats.
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A duration's count and total nanoseconds, as the statistics extension reports them. */
interface Duration {
  count: number;
  ns: number;
}

/** One model version's statistics, in the statistics extension's shape. */
export interface ModelStats {
  name: string;
  version: string;
  last_inference: number;
  inference_count: number;
  execution_count: number;
  inference_stats: { success: Duration; fail: Duration };
  batch_stats: { batch_size: number; compute_infer: Duration }[];
}

const duration = (): Duration => ({ count: 0, ns: 0 });

/** A model version's Prometheus counters, looked up once. */
interface Counters {
  inferences: { inc(by?: number): void };
  rows: { inc(by?: number): void };
}

/** The server's metrics: a registry of its own (so apps in one process never mix) and per-model statistics. */
export class Metrics {
  readonly registry = new Registry();
  private readonly stats = new Map<string, ModelStats & { counters?: Counters }>();
  private readonly requests = new Counter({
    name: 'dendrite_http_requests_total',
    help: 'HTTP requests answered, by route, model and status.',
    labelNames: ['method', 'route', 'model', 'status'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'dendrite_http_request_duration_seconds',
    help: 'Time from a request arriving to its response being sent, by route, model and status.',
    labelNames: ['method', 'route', 'model', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly inferences = new Counter({
    name: 'dendrite_inferences_total',
    help: 'Inference requests answered with predictions, by model and version.',
    labelNames: ['model', 'version'],
    registers: [this.registry],
  });
  private readonly rows = new Counter({
    name: 'dendrite_inference_rows_total',
    help: 'Rows predicted, by model and version.',
    labelNames: ['model', 'version'],
    registers: [this.registry],
  });
  private readonly loadFailures = new Counter({
    name: 'dendrite_model_load_failures_total',
    help: 'Model versions that failed to load, by model.',
    labelNames: ['model'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Counts and times every request by its route pattern (never its raw path) and, when `isModel`
   * knows it, its model: label values stay few whatever clients send.
   */
  middleware(isModel: (name: string) => boolean): RequestHandler {
    return (req, res, next) => {
      const start = process.hrtime.bigint();
      res.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const route = (req.route as { path?: string } | undefined)?.path ?? 'other';
        // The model a route found (an error handler outside the router sees no route params, so
        // a refused infer would otherwise count for no model), else the route's parameter.
        const found = res.locals.model as { name: string } | undefined;
        const name = found?.name ?? (req.params as { model?: string } | undefined)?.model;
        const labels = {
          method: req.method,
          route,
          model: name !== undefined && isModel(name) ? name : '',
          status: String(res.statusCode),
        };
        this.requests.inc(labels);
        this.latency.observe(labels, seconds);
      });
      next();
    };
  }

  /** Records one inference request on a model version: its rows, its time, and whether it succeeded. */
  inference(name: string, version: string, rows: number, ns: number, succeeded: boolean): void {
    const stats = this.of(name, version);
    const outcome = succeeded ? stats.inference_stats.success : stats.inference_stats.fail;
    outcome.count++;
    outcome.ns += ns;
    if (!succeeded) return;
    stats.last_inference = Date.now();
    stats.inference_count += rows;
    stats.execution_count++;
    let batch = stats.batch_stats.find((b) => b.batch_size === rows); // a few sizes at most
    if (batch === undefined) {
      batch = { batch_size: rows, compute_infer: duration() };
      stats.batch_stats.push(batch);
      stats.batch_stats.sort((a, b) => a.batch_size - b.batch_size);
    }
    batch.compute_infer.count++;
    batch.compute_infer.ns += ns;
    stats.counters ??= {
      inferences: this.inferences.labels(name, version),
      rows: this.rows.labels(name, version),
    };
    stats.counters.inferences.inc();
    stats.counters.rows.inc(rows);
  }

  /** Records a model version that failed to load. */
  loadFailed(name: string): void {
    this.loadFailures.inc({ model: name });
  }

  /** The statistics of these model versions (zeros for one that has not answered yet). */
  modelStats(versions: readonly { name: string; version: string }[]): ModelStats[] {
    return versions.map(({ name, version }) => {
      const stats = { ...this.of(name, version) };
      delete stats.counters;
      return structuredClone(stats);
    });
  }

  private of(name: string, version: string): ModelStats & { counters?: Counters } {
    const key = `${name}\n${version}`;
    let stats = this.stats.get(key);
    if (stats === undefined) {
      stats = {
        name,
        version,
        last_inference: 0,
        inference_count: 0,
        execution_count: 0,
        inference_stats: { success: duration(), fail: duration() },
        batch_stats: [],
      };
      this.stats.set(key, stats);
    }
    return stats;
  }
}
