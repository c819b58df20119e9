/** Prometheus metrics of one worker, served at /metrics. */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface WorkerMetrics {
  registry: Registry;
  queueDepth: Gauge;
  scanSeconds: Histogram<'stage'>;
  predictions: Counter<'label' | 'model_version'>;
  failures: Counter<'retryable'>;
  batchSize: Histogram;
  backend: Gauge<'backend' | 'model_version'>;
}

/** `queueDepth` is read from the queue at scrape time, so every worker reports the same, current number. */
export function createWorkerMetrics(queueDepth: () => Promise<number>): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bonescan_inference_' });
  return {
    registry,
    queueDepth: new Gauge({
      name: 'bonescan_inference_queue_depth',
      help: 'Prediction jobs waiting in the queue',
      registers: [registry],
      async collect() {
        this.set(await queueDepth());
      },
    }),
    scanSeconds: new Histogram({
      name: 'bonescan_inference_scan_seconds',
      help: 'Seconds per scan by stage: read (blobs + pre-processing), predict (its share of the batch), explain (Grad-CAM + hotspots), total (job taken to result stored)',
      labelNames: ['stage'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
      registers: [registry],
    }),
    predictions: new Counter({
      name: 'bonescan_inference_predictions_total',
      help: 'Predictions stored, by label and model version',
      labelNames: ['label', 'model_version'],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'bonescan_inference_failures_total',
      help: 'Jobs that failed, by whether they will be retried',
      labelNames: ['retryable'],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'bonescan_inference_batch_size',
      help: 'Scans put through the model together',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
    backend: new Gauge({
      name: 'bonescan_inference_backend_info',
      help: 'Backend each loaded model version runs on (value 1)',
      labelNames: ['backend', 'model_version'],
      registers: [registry],
    }),
  };
}
