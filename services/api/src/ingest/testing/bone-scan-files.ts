import type { View } from '@bonescan/clinical';
import { newUid, writeBoneScan, type TransferSyntaxName, type ViewImage } from '@bonescan/dicom';

/**
 * DICOM Part 10 files of bone scans for ingest tests and benchmarks, written by the platform's own writer;
 * every scan has pixels of its own (seeded), so content-addressed blobs are never shared by accident.
 */
export interface PhantomScanFiles {
  studyInstanceUid: string;
  patientId: string;
  views: Record<View, Float32Array>;
  /** One multi-frame object (AP + PA), or AP then PA single-frame objects. */
  files: Uint8Array[];
}

export interface PhantomScanOptions {
  seed: number;
  layout?: 'multiframe' | 'single-frame';
  transferSyntax?: TransferSyntaxName;
  patientId?: string;
  studyInstanceUid?: string;
  /** Small matrices keep tests fast; the platform accepts any whole-body matrix. */
  width?: number;
  height?: number;
}

export function phantomScanFiles(options: PhantomScanOptions): PhantomScanFiles {
  const width = options.width ?? 64;
  const height = options.height ?? 256;
  const views = { AP: countImage(options.seed, width, height), PA: countImage(options.seed + 0.5, width, height) };
  const viewImage = (view: View): ViewImage => ({ view, width, height, pixels: views[view], pixelSpacingMm: [2.4, 2.4] });
  const studyInstanceUid = options.studyInstanceUid ?? newUid();
  const patientId = options.patientId ?? `MRN-${options.seed}`;
  const files = writeBoneScan(
    {
      views: [viewImage('AP'), viewImage('PA')],
      patient: { id: patientId, name: `Phantom^Case${options.seed}`, birthDate: '19580412', sex: 'M' },
      study: { date: '20260101', time: '101500', accessionNumber: `ACC${options.seed}`, description: 'NM whole body bone scan' },
      studyInstanceUid,
      manufacturer: 'Phantom Camera Co',
      institutionName: 'Centre A',
      acquisitionDateTime: new Date('2026-01-01T10:15:00Z'),
    },
    { layout: options.layout ?? 'multiframe', transferSyntax: options.transferSyntax ?? 'explicit-le' },
  );
  return { studyInstanceUid, patientId, views, files };
}

/**
 * Seeded integer counts with a body-like vertical band and a few hot spots: ingest only has to carry pixels
 * through exactly, so this stands in for @bonescan/phantoms (whose realism is tested there).
 */
function countImage(seed: number, width: number, height: number): Float32Array {
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const body = Math.exp(-(((x - width / 2) / (width / 5)) ** 2));
      const texture = 0.5 + 0.5 * Math.sin((x * 7 + y * 3) * 0.05 + seed * 1.7);
      const hot = Math.exp(-(((x - ((seed * 13) % width)) ** 2 + (y - ((seed * 37) % height)) ** 2) / 20));
      pixels[y * width + x] = Math.round(2 + 60 * body * texture + 200 * hot);
    }
  }
  return pixels;
}
