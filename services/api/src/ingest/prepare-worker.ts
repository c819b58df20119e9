import { parentPort } from 'node:worker_threads';
import { isDicomError, loadCodecs, readBoneScan } from '@bonescan/dicom';

/**
 * Runs readBoneScan off the API's event loop: one message in (the object's bytes), one out (the parsed
 * object, its pixel buffers transferred, not copied, or the DicomError's code and message).
 */
export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
}

export type ParseReply = { id: number; object: ReturnType<typeof readBoneScan> } | { id: number; error: { code?: string; message: string } };

const port = parentPort;
if (port) {
  const ready = loadCodecs();
  port.on('message', async ({ id, bytes }: ParseRequest) => {
    await ready;
    try {
      const object = readBoneScan(bytes);
      port.postMessage({ id, object } satisfies ParseReply, [...new Set(object.views.map((image) => image.pixels.buffer as ArrayBuffer))]);
    } catch (error) {
      const code = isDicomError(error) ? error.code : undefined;
      port.postMessage({ id, error: { code, message: (error as Error).message ?? String(error) } } satisfies ParseReply);
    }
  });
}
