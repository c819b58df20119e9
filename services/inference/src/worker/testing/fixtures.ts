/**
 * Fixtures for the worker tests and the benchmark, made by code: a small model version folder built with the
 * model package, and phantom scans whose views are written to a real blob store and queued as ingest does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlobStore, encodePixels } from '@bonescan/blobstore';
import { VIEWS, type View } from '@bonescan/clinical';
import { ScanView } from '@bonescan/db';
import { createTestScan } from '@bonescan/db/testing';
import { CENTRES, generatePhantom } from '@bonescan/phantoms';
import { enqueuePrediction, type PgBoss } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { buildClassifier, intendedUseFor, MODEL_CARD_FILE, saveLayersModelToFolder, selectBackend, type Architecture, type ModelCard } from '../../model';

const temporaryDirs: string[] = [];

export function temporaryDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bonescan-${prefix}-`));
  temporaryDirs.push(dir);
  return dir;
}

/** Removes every folder temporaryDir made in this process (blob stores of heat maps add up over runs). */
export function removeTemporaryDirs(): void {
  for (const dir of temporaryDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * An untrained (seeded) classifier saved as a model version folder. Its calls mean nothing; `threshold` sets
 * which of them count as MBD, which is all the service tests need.
 */
export async function writeUntrainedModelVersion(
  dir: string,
  options: { architecture?: Architecture; threshold?: number; version?: string } = {},
): Promise<string> {
  // The tiny variant (1/256 of VGG16's widths) keeps a forward pass near a tenth of a second on a shared CPU.
  const architecture = options.architecture ?? 'vgg16-tiny';
  await selectBackend(process.env.INFERENCE_BACKEND ?? 'wasm');
  const model = buildClassifier(architecture, 7);
  await saveLayersModelToFolder(model, dir);
  model.dispose();
  // An untrained model has no training record or metrics: only what identifies and configures it.
  const card: Pick<ModelCard, 'name' | 'version' | 'architecture' | 'input' | 'threshold' | 'thresholdMethod' | 'syntheticData' | 'intendedUse' | 'createdAt'> =
    {
      name: `untrained-${architecture}`,
      version: options.version ?? 'test-1',
      architecture,
      input: { width: 512, height: 512, channels: 3 },
      threshold: options.threshold ?? 0.5,
      thresholdMethod: 'set by the test',
      syntheticData: true,
      intendedUse: intendedUseFor(true),
      createdAt: new Date().toISOString(),
    };
  fs.writeFileSync(path.join(dir, MODEL_CARD_FILE), JSON.stringify(card, null, 2));
  return dir;
}

export type ViewPixels = Record<View, Float32Array>;

export interface ScanFixture {
  /**
   * Changes a phantom's views before they are stored (same size); a view returned as undefined is referenced by
   * the scan but never stored — a missing blob.
   */
  alter?: (views: ViewPixels) => Record<View, Float32Array | undefined>;
  /** Enqueue the `scan.predict` job with the scan (default); false leaves that to the caller. */
  queue?: boolean;
}

let scanCounter = 0;

/**
 * Writes scans as ingest does — views' pixels in the blob store, patient, scan (QUEUED) and views in one
 * transaction with the `scan.predict` job — and returns their ids.
 */
export async function createQueuedScans(dataSource: DataSource, blobs: BlobStore, boss: PgBoss, count: number, fixture: ScanFixture = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++scanCounter;
    // A seeded whole-body phantom from @bonescan/phantoms; every third one with metastases.
    const phantom = generatePhantom({ seed: n, centre: CENTRES[n % CENTRES.length], mbd: n % 3 === 0 });
    const pixels = fixture.alter ? fixture.alter(phantom.views) : phantom.views;
    const keys = {} as Record<View, string>;
    for (const view of VIEWS) {
      const viewPixels = pixels[view];
      keys[view] = viewPixels ? await blobs.put(encodePixels(viewPixels)) : BlobStore.keyOf(Uint8Array.of(n, 0xde, 0xad));
    }
    const id = await dataSource.transaction(async (manager) => {
      const { scanId } = await createTestScan(manager, {
        patientId: `TEST-${process.pid}-${n}`,
        studyInstanceUid: `2.25.${process.pid}${Date.now()}${n}`,
        site: 'Test',
        status: 'QUEUED',
      });
      await manager.getRepository(ScanView).save(
        VIEWS.map((view) => ({
          scanId,
          view,
          pixelBlobKey: keys[view],
          width: phantom.width,
          height: phantom.height,
          pixelSpacingX: phantom.pixelSpacingMm,
          pixelSpacingY: phantom.pixelSpacingMm,
          sopInstanceUid: `2.25.${n}${view === 'AP' ? 1 : 2}`,
        })),
      );
      if (fixture.queue !== false) await enqueuePrediction(boss, manager, { scanId });
      return scanId;
    });
    ids.push(id);
  }
  return ids;
}
