import { Worker } from 'node:worker_threads';
import { DicomError, type BoneScanObject, type DicomErrorCode } from '@bonescan/dicom';
import type { Logger } from '@bonescan/logger';
import type { ParseReply, ParseRequest } from './parse-worker';

interface Pending {
  resolve(object: BoneScanObject): void;
  reject(error: Error): void;
}

/**
 * Worker threads that parse and decode DICOM objects, so that decoding (the bulk of ingest's CPU) runs
 * beside the event loop that serves HTTP, C-STORE and the database instead of on it.
 */
export class ParsePool {
  private readonly pending = new Map<number, Pending & { worker: Worker }>();
  private workers: Worker[] = [];
  private sequence = 0;
  private closing = false;

  constructor(
    size: number,
    private readonly logger: Logger,
  ) {
    this.workers = Array.from({ length: size }, () => this.spawn());
  }

  parse = (bytes: Uint8Array): Promise<BoneScanObject> => {
    const id = (this.sequence += 1);
    const worker = this.workers[id % this.workers.length];
    return new Promise<BoneScanObject>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      worker.postMessage({ id, bytes } satisfies ParseRequest);
    });
  };

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private spawn(): Worker {
    // The worker is TypeScript like the rest of the service: it registers the same on-the-fly compiler.
    const worker = new Worker(require.resolve('./parse-worker'), { execArgv: ['-r', '@swc-node/register'] });
    worker.on('message', (reply: ParseReply) => this.settle(reply));
    worker.on('error', (error) => this.replace(worker, error));
    worker.on('exit', (code) => {
      if (!this.closing) this.replace(worker, new Error(`DICOM parse worker exited with code ${code}`));
    });
    worker.unref();
    return worker;
  }

  private settle(reply: ParseReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if ('object' in reply) pending.resolve(reply.object);
    else pending.reject(reply.error.code ? new DicomError(reply.error.code as DicomErrorCode, reply.error.message) : new Error(reply.error.message));
  }

  /** A crashed worker fails only the objects it held, and is replaced. */
  private replace(worker: Worker, error: Error): void {
    if (this.closing || !this.workers.includes(worker)) return;
    this.logger.error({ err: error }, 'DICOM parse worker failed; starting another');
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue;
      this.pending.delete(id);
      pending.reject(error);
    }
    this.workers = this.workers.map((w) => (w === worker ? this.spawn() : w));
  }
}
