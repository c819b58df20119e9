import { Worker } from 'node:worker_threads';
import { DicomError, type DicomErrorCode } from '@bonescan/dicom';
import type { Logger } from '@bonescan/logger';
import type { PreparedObject } from './prepare-object';
import type { PrepareReply, PrepareRequest, PrepareWorkerData } from './prepare-worker';

interface Pending {
  resolve(object: PreparedObject): void;
  reject(error: Error): void;
  worker: Worker;
  deadline: NodeJS.Timeout;
}

/**
 * Worker threads that prepare DICOM objects for filing (parse, decode, hash and write their blobs), so that
 * this, the bulk of ingest's CPU, runs beside the event loop that serves HTTP, C-STORE and the database
 * instead of on it.
 *
 * An object still unprepared after `timeoutMs` is refused and its worker replaced: a forged JPEG-LS stream was
 * seen to keep CharLS busy for 14 s on a 64 × 256 frame, and a worker stuck in a codec would hold every object
 * queued behind it.
 */
export class PreparePool {
  private readonly pending = new Map<number, Pending>();
  private workers: Worker[] = [];
  private sequence = 0;
  private closing = false;

  constructor(
    size: number,
    private readonly blobRoot: string,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {
    this.workers = Array.from({ length: size }, () => this.spawn());
  }

  prepare = (bytes: Uint8Array): Promise<PreparedObject> => {
    const id = (this.sequence += 1);
    const worker = this.workers[id % this.workers.length];
    // A part of a STOW-RS body is a view into the whole body, which postMessage would copy entire (a request
    // of 20 objects would copy 20 bodies). The object's own bytes are handed over instead: one copy, and the
    // copy leaves this thread's heap at once rather than waiting for its garbage collector.
    const own = new Uint8Array(bytes); // a copy, even of a Buffer (whose slice() is a view)
    return new Promise<PreparedObject>((resolve, reject) => {
      const deadline = setTimeout(() => this.overrun(id), this.timeoutMs).unref();
      this.pending.set(id, { resolve, reject, worker, deadline });
      worker.postMessage({ id, bytes: own } satisfies PrepareRequest, [own.buffer]);
    });
  };

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private spawn(): Worker {
    // The worker is TypeScript like the rest of the service: it registers the same on-the-fly compiler.
    const worker = new Worker(require.resolve('./prepare-worker'), {
      execArgv: ['-r', '@swc-node/register'],
      workerData: { blobRoot: this.blobRoot } satisfies PrepareWorkerData,
    });
    worker.on('message', (reply: PrepareReply) => this.settle(reply));
    worker.on('error', (error) => this.replace(worker, error));
    worker.on('exit', (code) => {
      if (!this.closing) this.replace(worker, new Error(`DICOM prepare worker exited with code ${code}`));
    });
    worker.unref();
    return worker;
  }

  private settle(reply: PrepareReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.deadline);
    if ('object' in reply) pending.resolve(reply.object);
    else pending.reject(reply.error.code ? new DicomError(reply.error.code as DicomErrorCode, reply.error.message) : new Error(reply.error.message));
  }

  /** The object is refused as undecodable; its worker, stuck in it, is stopped and replaced. */
  private overrun(id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    const seconds = this.timeoutMs / 1000;
    pending.reject(
      new DicomError(
        'CORRUPT_PIXEL_DATA',
        `the object was still being decoded after ${seconds} s and was refused: a valid scan decodes in well under a second`,
      ),
    );
    this.logger.warn({ timeoutSeconds: seconds }, 'DICOM object overran its decode time; replacing its prepare worker');
    this.replace(pending.worker, new Error(`DICOM prepare worker was stopped: an object it held overran ${seconds} s; send the others again`));
    void pending.worker.terminate();
  }

  /** A crashed (or stopped) worker fails only the objects it held, and is replaced. */
  private replace(worker: Worker, error: Error): void {
    if (this.closing || !this.workers.includes(worker)) return;
    this.logger.error({ err: error }, 'DICOM prepare worker failed; starting another');
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue;
      this.pending.delete(id);
      clearTimeout(pending.deadline);
      pending.reject(error);
    }
    this.workers = this.workers.map((w) => (w === worker ? this.spawn() : w));
  }
}
