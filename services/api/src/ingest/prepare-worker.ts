import { parentPort, workerData } from 'node:worker_threads';
import { BlobStore } from '@bonescan/blobstore';
import { isDicomError } from '@bonescan/dicom';
import { prepareObject, type PreparedObject } from './prepare-object';

/**
 * Runs prepareObject off the API's event loop: one message in (the object's bytes), one out (the prepared
 * object, its blobs staged in the store whose root the pool passes as workerData, or the DicomError's code
 * and message). Nothing large travels back: the pixels stay in this thread until they are on disk.
 */
export interface PrepareRequest {
  id: number;
  bytes: Uint8Array;
}

export interface PrepareWorkerData {
  blobRoot: string;
}

export type PrepareReply = { id: number; object: PreparedObject } | { id: number; error: { code?: string; message: string } };

const port = parentPort;
if (port) {
  const blobs = new BlobStore((workerData as PrepareWorkerData).blobRoot);
  port.on('message', async ({ id, bytes }: PrepareRequest) => {
    try {
      port.postMessage({ id, object: await prepareObject(bytes, blobs) } satisfies PrepareReply);
    } catch (error) {
      const code = isDicomError(error) ? error.code : undefined;
      port.postMessage({ id, error: { code, message: (error as Error).message ?? String(error) } } satisfies PrepareReply);
    }
  });
}
