import * as dcmjs from 'dcmjs';
import type { View } from '@bonescan/clinical';
import { newUid, writeBoneScan, type DicomErrorCode, type TransferSyntaxName, type ViewImage } from '@bonescan/dicom';

/**
 * DICOM Part 10 files of phantom bone scans for ingest tests, written by the platform's own writer;
 * bad objects are made from good ones by editing real elements with dcmjs, never by hand-made bytes.
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
      const hot = Math.exp(-(((x - (seed * 13) % width) ** 2 + (y - (seed * 37) % height) ** 2) / 20));
      pixels[y * width + x] = Math.round(2 + 60 * body * texture + 200 * hot);
    }
  }
  return pixels;
}

interface EditableFile {
  meta: Record<string, { vr: string; Value?: unknown[] }>;
  dict: Record<string, { vr: string; Value?: unknown[] }>;
  write(options?: { fragmentMultiframe?: boolean }): ArrayBuffer;
}
// The package's own dcmjs typing covers writing only; reading for edits is typed here.
const { DicomMessage } = dcmjs.data as unknown as { DicomMessage: { readFile(buffer: ArrayBuffer): EditableFile } };
// dcmjs logs through named child loggers that do not follow the root level the dicom package silences.
(dcmjs.log as unknown as { getLogger(name: string): { setLevel(level: string): void } }).getLogger('validation.dcmjs').setLevel('silent');

function edit(bytes: Uint8Array, change: (file: EditableFile) => void): Uint8Array {
  const file = DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  change(file);
  return new Uint8Array(file.write({ fragmentMultiframe: false }));
}

export interface BadObjectCase {
  name: string;
  /** Stored first, successfully: the partner a mismatching view is checked against. */
  before: Uint8Array[];
  bad: Uint8Array;
  /** Error codes the refusal may carry. */
  codes: DicomErrorCode[];
  /** Words the refusal must contain, so the sender can tell what was wrong. */
  reason: RegExp;
}

/** Every bad input the ingest paths must refuse, each with the error the reader gives it. */
export function badObjectCases(seed: number): BadObjectCase[] {
  const good = () => phantomScanFiles({ seed: (seed += 1) }).files[0];
  const rle = phantomScanFiles({ seed: (seed += 1), transferSyntax: 'rle' }).files[0];
  const partner = phantomScanFiles({ seed: (seed += 1), layout: 'single-frame' });
  const stranger = phantomScanFiles({ seed: (seed += 1), layout: 'single-frame', studyInstanceUid: partner.studyInstanceUid, patientId: 'MRN-SOMEONE-ELSE' });
  const bigMatrix = phantomScanFiles({ seed: (seed += 1), transferSyntax: 'implicit-le' }).files[0];
  return [
    { name: 'not DICOM', before: [], bad: new TextEncoder().encode('PATIENT REPORT\nThis is a text file, not a DICOM object.\n'.repeat(8)), codes: ['NOT_DICOM'], reason: /not a DICOM/ },
    { name: 'truncated file', before: [], bad: ((file) => file.slice(0, file.length - 1000))(good()), codes: ['TRUNCATED', 'INVALID'], reason: /ends|truncat|overrun/i },
    { name: 'no pixel data', before: [], bad: edit(good(), (f) => delete f.dict['7FE00010']), codes: ['NO_PIXEL_DATA'], reason: /Pixel Data/ },
    {
      name: 'CT instead of NM',
      before: [],
      bad: edit(good(), (f) => {
        f.dict['00080060'].Value = ['CT'];
        f.dict['00080016'].Value = ['1.2.840.10008.5.1.4.1.1.2'];
        f.meta['00020002'].Value = ['1.2.840.10008.5.1.4.1.1.2'];
      }),
      codes: ['UNSUPPORTED_MODALITY'],
      reason: /CT/,
    },
    {
      name: 'unsupported transfer syntax',
      before: [],
      // MPEG2 video: a transfer syntax no gamma camera uses for planar scans.
      bad: edit(good(), (f) => (f.meta['00020010'].Value = ['1.2.840.10008.1.2.4.100'])),
      codes: ['UNSUPPORTED_TRANSFER_SYNTAX'],
      reason: /1\.2\.840\.10008\.1\.2\.4\.100/,
    },
    {
      name: 'declared matrix 100,000 × 100,000',
      before: [],
      // Rows/Columns are 16-bit; implicit VR lets a broken sender put 32-bit values there.
      bad: edit(bigMatrix, (f) => {
        f.dict['00280010'] = { vr: 'UL', Value: [100_000] };
        f.dict['00280011'] = { vr: 'UL', Value: [100_000] };
      }),
      codes: ['MATRIX_TOO_LARGE'],
      reason: /100000/,
    },
    {
      name: 'corrupted RLE segment',
      before: [],
      bad: edit(rle, (f) => {
        const frames = f.dict['7FE00010'].Value as ArrayBuffer[];
        const header = new DataView(frames[0]);
        // The first segment's offset now points past the end of the frame.
        header.setUint32(4, frames[0].byteLength + 1000, true);
      }),
      codes: ['CORRUPT_PIXEL_DATA'],
      reason: /RLE|segment/i,
    },
    { name: 'view of a different patient than its partner', before: [partner.files[0]], bad: stranger.files[1], codes: ['PATIENT_MISMATCH'], reason: /different patient/ },
  ];
}
