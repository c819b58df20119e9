/**
 * Fixtures for the worker tests and the benchmark, made by code: a small model version folder built with the
 * model package, and scans whose views are written to a real blob store and queued as ingest does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlobStore, encodePixels } from '@bonescan/blobstore';
import { VIEWS, type View } from '@bonescan/clinical';
import { Patient, Scan, ScanView } from '@bonescan/db';
import { enqueuePrediction, type PgBoss } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { buildClassifier, intendedUseFor, MODEL_CARD_FILE, saveLayersModelToFolder, selectBackend, type Architecture, type ModelCard } from '../../model';

export function temporaryDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bonescan-${prefix}-`));
}

/**
 * An untrained (seeded) classifier saved as a model version folder. Its calls mean nothing; `threshold` sets
 * which of them count as MBD, which is all the service tests need.
 */
export async function writeUntrainedModelVersion(dir: string, options: { architecture?: Architecture; threshold?: number; version?: string } = {}): Promise<string> {
  // The tiny variant (1/256 of VGG16's widths) keeps a forward pass near a tenth of a second on a shared CPU.
  const architecture = options.architecture ?? 'vgg16-tiny';
  await selectBackend(process.env.INFERENCE_BACKEND ?? 'wasm');
  const model = buildClassifier(architecture, 7);
  await saveLayersModelToFolder(model, dir);
  model.dispose();
  // An untrained model has no training record or metrics: only what identifies and configures it.
  const card: Pick<ModelCard, 'name' | 'version' | 'architecture' | 'input' | 'threshold' | 'thresholdMethod' | 'syntheticData' | 'intendedUse' | 'createdAt'> = {
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

/** A whole-body-like view: a body outline of soft-tissue counts with hot spots along a spine, seeded. */
export function syntheticView(width: number, height: number, seed: number): Float32Array {
  const pixels = new Float32Array(width * height);
  const spots = Array.from({ length: 4 }, (_, i) => ({ x: width / 2 + ((seed * 13 + i * 7) % 9) - 4, y: height * (0.2 + 0.18 * i + (seed % 5) * 0.01) }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBody = Math.abs(x - width / 2) < width * 0.2 ? 20 : 1;
      let counts = inBody;
      for (const s of spots) counts += 200 * Math.exp(-((x - s.x) ** 2 + (y - s.y) ** 2) / 40);
      pixels[y * width + x] = counts;
    }
  }
  return pixels;
}

export interface ScanFixture {
  /** Pixels per view; default a synthetic whole-body view. Return undefined to reference a blob that is not stored. */
  pixels?: (view: View, index: number) => Float32Array | undefined;
  width?: number;
  height?: number;
  /** Enqueue the `scan.predict` job with the scan (default); false leaves that to the caller. */
  queue?: boolean;
}

let scanCounter = 0;

/**
 * Writes scans as ingest does — views' pixels in the blob store, patient, scan (QUEUED) and views in one
 * transaction with the `scan.predict` job — and returns their ids.
 */
export async function createQueuedScans(dataSource: DataSource, blobs: BlobStore, boss: PgBoss, count: number, fixture: ScanFixture = {}): Promise<string[]> {
  const width = fixture.width ?? 128;
  const height = fixture.height ?? 256;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++scanCounter;
    const keys = {} as Record<View, string>;
    for (const view of VIEWS) {
      const pixels = fixture.pixels ? fixture.pixels(view, i) : syntheticView(width, height, n);
      keys[view] = pixels ? await blobs.put(encodePixels(pixels)) : BlobStore.keyOf(Uint8Array.of(n, 0xde, 0xad));
    }
    const id = await dataSource.transaction(async (manager) => {
      const patient = await manager.getRepository(Patient).save({ patientId: `TEST-${process.pid}-${n}`, name: null, birthDate: null, sex: null });
      const scan = await manager.getRepository(Scan).save({
        patientId: patient.id,
        studyInstanceUid: `2.25.${process.pid}${Date.now()}${n}`,
        site: 'Test',
        status: 'QUEUED',
      });
      await manager.getRepository(ScanView).save(
        VIEWS.map((view) => ({ scanId: scan.id, view, pixelBlobKey: keys[view], width, height, sopInstanceUid: `2.25.${n}${view === 'AP' ? 1 : 2}` })),
      );
      if (fixture.queue !== false) await enqueuePrediction(boss, manager, { scanId: scan.id });
      return scan.id;
    });
    ids.push(id);
  }
  return ids;
}
