/**
 * The worker loop: take up to `batchSize` waiting jobs, predict them as one batch, repeat; sleep a poll
 * interval when the queue is empty. `stop()` lets the batch in hand finish, then the loop ends.
 */
import type { PredictionLeases } from '@bonescan/queue';
import { predictBatch, type BatchContext } from './predict-batch';

export interface WorkerOptions {
  batchSize: number;
  pollSeconds: number;
  /** Where jobs are taken, each leased to this worker so that its death releases them at once. */
  leases: PredictionLeases;
}

export class InferenceWorker {
  private stopping = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly context: BatchContext,
    private readonly options: WorkerOptions,
  ) {}

  start(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Resolves once the batch in hand (if any) is stored and no new job will be taken. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        const jobs = await this.options.leases.take(this.options.batchSize);
        if (jobs.length > 0) await predictBatch(this.context, jobs);
        else await this.sleep();
      } catch (error) {
        // The database went away or similar: the jobs in hand lose their leases and are retried; keep serving.
        this.context.logger.error({ err: error }, 'batch interrupted; its jobs will be retried');
        await this.sleep();
      }
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.options.pollSeconds * 1000);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
