import { encodePixels, type BlobStore, type StagedBlob } from '@bonescan/blobstore';
import { DicomError, readBoneScanAsync, type BoneScanObject, type ViewImage } from '@bonescan/dicom';

/** A view as ingest files it: its pixels are in the blob store, staged, not in memory. */
export type PreparedView = Omit<ViewImage, 'pixels'> & { blob: StagedBlob };

/** A parsed, valid object ready to be filed: its details, its original bytes and its decoded views staged in the blob store. */
export interface PreparedObject extends Omit<BoneScanObject, 'views'> {
  views: PreparedView[];
  original: StagedBlob;
  sizeBytes: number;
}

export const stagedBlobsOf = (object: PreparedObject): StagedBlob[] => [object.original, ...object.views.map((image) => image.blob)];

/**
 * The costly part of filing an object, done before its transaction and off the event loop (prepare-worker.ts):
 * parse, decode and validate it, then stage the original and the decoded views (hash, write, flush) so that
 * the transaction only has to publish them. A bad object throws DicomError with nothing staged.
 */
export async function prepareObject(bytes: Uint8Array, blobs: BlobStore): Promise<PreparedObject> {
  const { views, ...details } = await readBoneScanAsync(bytes);
  if (!details.patient.id) throw new DicomError('INVALID', 'Patient ID (0010,0020) is empty: a scan cannot be filed without the patient it belongs to');
  const [original, ...viewBlobs] = await stageAll(blobs, [bytes, ...views.map((image) => encodePixels(image.pixels))]);
  return {
    ...details,
    original,
    sizeBytes: bytes.byteLength,
    views: views.map(({ view, width, height, pixelSpacingMm }, i) => ({ view, width, height, pixelSpacingMm, blob: viewBlobs[i] })),
  };
}

/** Stages every blob or none: when one fails (disk full), those already written are removed. */
async function stageAll(blobs: BlobStore, contents: Uint8Array[]): Promise<StagedBlob[]> {
  const settled = await Promise.allSettled(contents.map((bytes) => blobs.stage(bytes)));
  const staged = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (!failure) return staged;
  await blobs.discard(staged);
  throw failure.reason;
}
