import * as dcmjs from 'dcmjs';
import { parseDicom } from 'dicom-parser';
import type { DicomErrorCode } from '../errors';
import { TRANSFER_SYNTAXES } from '../transfer-syntaxes';
import type { ViewImage } from '../types';
import { writeBoneScan } from '../write/write-bone-scan';

/**
 * Real DICOM objects that a bone-scan ingest must refuse, each with the DicomError code it must give.
 * Built from a small valid scan by code, so every ingest path (library, C-STORE, STOW-RS, import) can prove
 * the same rejections. Nothing here needs the WebAssembly codecs.
 */
export interface BadObject {
  name: string;
  code: DicomErrorCode;
  objects: Uint8Array[];
}

export function smallTestViews(width = 64, height = 256): ViewImage[] {
  const pixels = (phase: number) => Float32Array.from({ length: width * height }, (_, i) => 5 + ((i * 7 + phase) % 50));
  return [
    { view: 'AP', width, height, pixels: pixels(0) },
    { view: 'PA', width, height, pixels: pixels(13) },
  ];
}

export function badBoneScanObjects(): BadObject[] {
  const views = smallTestViews();
  const valid = writeBoneScan({ views, patient: { id: 'BAD-1' } }, { layout: 'multiframe', transferSyntax: 'explicit-le' })[0];
  const [ap] = writeBoneScan({ views, patient: { id: 'BAD-1' } }, { layout: 'single-frame', transferSyntax: 'explicit-le' });
  const [otherPatientPa] = writeBoneScan(
    { views: [views[1]], patient: { id: 'BAD-2' }, studyInstanceUid: studyUid(ap) },
    { layout: 'single-frame', transferSyntax: 'explicit-le' },
  );
  const cases: BadObject[] = [
    {
      name: 'not DICOM (a PNG signature and text)',
      code: 'NOT_DICOM',
      objects: [Buffer.from('\x89PNG\r\n\x1a\n this is not a DICOM file at all, just bytes'.repeat(8))],
    },
    { name: 'truncated inside the pixel data', code: 'TRUNCATED', objects: [valid.subarray(0, valid.length - 5000)] },
    { name: 'truncated inside the header', code: 'TRUNCATED', objects: [valid.subarray(0, 300)] },
    { name: 'no pixel data', code: 'NO_PIXEL_DATA', objects: [dataset({ ...nmHeader(), Rows: 256, Columns: 64 })] },
    {
      name: 'CT instead of NM',
      code: 'UNSUPPORTED_MODALITY',
      objects: [dataset({ ...nmHeader(), SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', Modality: 'CT', ...pixelModule(64, 64) })],
    },
    {
      name: 'unsupported transfer syntax (MPEG2)',
      code: 'UNSUPPORTED_TRANSFER_SYNTAX',
      objects: [dataset({ ...nmHeader(), ...pixelModule(64, 64) }, '1.2.840.10008.1.2.4.100')],
    },
    { name: 'declared matrix 100,000 × 100,000', code: 'MATRIX_TOO_LARGE', objects: [hugeMatrix()] },
    { name: 'corrupted RLE segment', code: 'CORRUPT_PIXEL_DATA', objects: [corruptRleSegment(views)] },
    { name: '8-bit header over 16-bit pixel data', code: 'CORRUPT_PIXEL_DATA', objects: [eightBitHeaderOver16BitPixels(valid)] },
    { name: 'views of different patients', code: 'PATIENT_MISMATCH', objects: [ap, otherPatientPa] },
    {
      name: 'single-frame view with nothing naming it anterior or posterior',
      code: 'MISSING_VIEW',
      objects: [dataset({ ...nmHeader(), ...pixelModule(64, 64) })],
    },
  ];
  return cases.map((bad) => ({ ...bad, objects: bad.objects.map((o) => Uint8Array.from(o)) }));
}

function studyUid(bytes: Uint8Array): string {
  return parseDicom(bytes).string('x0020000d') ?? '';
}

function nmHeader(): Record<string, unknown> {
  return {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.20',
    SOPInstanceUID: '2.25.1000',
    StudyInstanceUID: '2.25.1001',
    SeriesInstanceUID: '2.25.1002',
    Modality: 'NM',
    PatientID: 'BAD-1',
  };
}

function pixelModule(width: number, height: number): Record<string, unknown> {
  return {
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: height,
    Columns: width,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    PixelData: [new Uint16Array(width * height).fill(7).buffer],
    _vrMap: { PixelData: 'OW' },
  };
}

/** Writes any dataset as Part 10, whatever it holds: the writer of bone scans refuses to make bad ones. */
export function dataset(values: Record<string, unknown>, transferSyntaxUid: string = TRANSFER_SYNTAXES['explicit-le'].uid): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: values.SOPClassUID,
    MediaStorageSOPInstanceUID: values.SOPInstanceUID,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: '2.25.1',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(values);
  return new Uint8Array(dict.write());
}

/** Rows and Columns are US (at most 65,535); an implicit-VR object can still carry 4-byte values of 100,000. */
function hugeMatrix(): Uint8Array {
  const header = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({ ...nmHeader(), ...pixelModule(16, 16), NumberOfFrames: 1 });
  header['00280010'] = { vr: 'UL', Value: [100_000] };
  header['00280011'] = { vr: 'UL', Value: [100_000] };
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: nmHeader().SOPClassUID,
    MediaStorageSOPInstanceUID: '2.25.1000',
    TransferSyntaxUID: TRANSFER_SYNTAXES['implicit-le'].uid,
    ImplementationClassUID: '2.25.1',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = header;
  return new Uint8Array(dict.write());
}

/** An RLE object whose first frame's second segment is overwritten with PackBits no-ops: it decodes short. */
function corruptRleSegment(views: ViewImage[]): Uint8Array {
  const bytes = Uint8Array.from(writeBoneScan({ views, patient: { id: 'BAD-1' } }, { layout: 'multiframe', transferSyntax: 'rle' })[0]);
  const fragment = parseDicom(bytes).elements.x7fe00010.fragments![0];
  const frame = bytes.subarray(fragment.position, fragment.position + fragment.length);
  const header = new DataView(frame.buffer, frame.byteOffset, 64);
  frame.fill(0x80, header.getUint32(8, true));
  return bytes;
}

/** A valid 16-bit object whose header is rewritten to say 8 bits: its Pixel Data is twice what the header describes. */
function eightBitHeaderOver16BitPixels(valid: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(valid);
  const elements = parseDicom(bytes).elements;
  const view = new DataView(bytes.buffer);
  for (const [tag, value] of [
    ['x00280100', 8],
    ['x00280101', 8],
    ['x00280102', 7],
  ] as const)
    view.setUint16(elements[tag].dataOffset, value, true);
  return bytes;
}
