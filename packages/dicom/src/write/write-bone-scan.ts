import * as zlib from 'node:zlib';
import * as dcmjs from 'dcmjs';
import type { View } from '@bonescan/clinical';
import { encodeRleFrame } from '../codecs/rle';
import { encodeNativeFrame, isNativeSyntax } from '../codecs/native';
import { bytesPerFrame, type FrameFormat } from '../codecs/frame';
import { SOP_CLASSES } from '../read/read-bone-scan';
import { VIEW_CODES } from '../read/views';
import { TRANSFER_SYNTAXES, type TransferSyntaxName } from '../transfer-syntaxes';
import type { PatientDetails, StudyDetails, ViewImage } from '../types';
import { concatBytes, swapBytePairs } from '../bytes';
import { toStoredFrame } from './stored-values';
import { newUid } from './uids';

// dcmjs logs unknown and private tags with their values; patient data must not reach the console.
dcmjs.log.setLevel('silent');

export interface ScanToWrite {
  views: ViewImage[];
  patient: PatientDetails;
  study?: StudyDetails;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  /** One per object written (one for multiframe, one per view for single-frame); generated when absent. */
  sopInstanceUids?: string[];
  acquisitionDateTime?: Date;
  manufacturer?: string;
  institutionName?: string;
  stationName?: string;
  seriesDescription?: string;
}

export interface WriteOptions {
  layout: 'multiframe' | 'single-frame';
  transferSyntax: TransferSyntaxName;
  /** NM Image Storage (default), or grayscale secondary capture as some workstations export. */
  sopClass?: 'NM' | 'SC';
  /** Sample size; 16 unless the syntax only carries 8 bits (JPEG baseline). */
  bitsAllocated?: 8 | 16;
}

const IMPLEMENTATION_CLASS_UID = '2.25.309237711823475601046376474127838734338';

/**
 * Writes a whole-body scan as DICOM Part 10: one NM multi-frame object holding both views (frame order and
 * Detector Information Sequence say which is which), or one single-frame object per view, in any supported
 * transfer syntax. JPEG-family syntaxes need `await loadCodecs()` first.
 */
export function writeBoneScan(scan: ScanToWrite, options: WriteOptions): Uint8Array[] {
  if (scan.views.length === 0) throw new Error('a scan to write needs at least one view');
  const common = {
    studyInstanceUid: scan.studyInstanceUid ?? newUid(),
    seriesInstanceUid: scan.seriesInstanceUid ?? newUid(),
  };
  const groups = options.layout === 'multiframe' ? [scan.views] : scan.views.map((view) => [view]);
  if (options.sopClass === 'SC' && groups.some((g) => g.length > 1))
    throw new Error('secondary capture objects are written one view each: use layout single-frame');
  return groups.map((views, i) =>
    writeObject(scan, views, { ...common, sopInstanceUid: scan.sopInstanceUids?.[i] ?? newUid(), instanceNumber: i + 1 }, options),
  );
}

interface ObjectIds {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  instanceNumber: number;
}

function writeObject(scan: ScanToWrite, views: ViewImage[], ids: ObjectIds, options: WriteOptions): Uint8Array {
  const [first] = views;
  if (views.some((v) => v.width !== first.width || v.height !== first.height)) throw new Error('views of one multi-frame object must share their matrix');
  const syntax = TRANSFER_SYNTAXES[options.transferSyntax];
  const bitsAllocated = options.transferSyntax === 'jpeg-baseline' ? 8 : (options.bitsAllocated ?? 16);
  const stored = toStoredFrame(concatenate(views), first.width, first.height * views.length, bitsAllocated);
  const format: FrameFormat = { ...stored.format, height: first.height };
  const frames = views.map((_, i) => stored.raw.subarray(i * bytesPerFrame(format), (i + 1) * bytesPerFrame(format)));
  const sopClassUid = options.sopClass === 'SC' ? SOP_CLASSES.secondaryCapture : SOP_CLASSES.nmImage;
  const dataset = {
    ...identification(scan, ids, sopClassUid, options.sopClass === 'SC' ? 'OT' : 'NM'),
    ...(options.sopClass === 'SC' ? secondaryCaptureViews(views) : nuclearMedicineViews(views)),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: first.height,
    Columns: first.width,
    BitsAllocated: bitsAllocated,
    BitsStored: bitsAllocated,
    HighBit: bitsAllocated - 1,
    PixelRepresentation: 0,
    ...(first.pixelSpacingMm ? { PixelSpacing: first.pixelSpacingMm } : {}),
    ...(stored.slope !== 1 || stored.intercept !== 0 ? { RescaleSlope: stored.slope, RescaleIntercept: stored.intercept } : {}),
    ...(options.transferSyntax === 'jpeg-baseline' || syntax.lossy ? { LossyImageCompression: '01' } : {}),
    PixelData: pixelData(options.transferSyntax, frames, format),
    _vrMap: { PixelData: bitsAllocated === 8 || syntax.encapsulated ? 'OB' : 'OW' },
  };
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: ids.sopInstanceUid,
    TransferSyntaxUID: options.transferSyntax === 'deflated' ? TRANSFER_SYNTAXES['explicit-le'].uid : syntax.uid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'BONESCAN_0_1',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  const written = new Uint8Array(dict.write({ fragmentMultiframe: false }));
  return options.transferSyntax === 'deflated' ? deflateDataset(written, meta) : written;
}

function identification(scan: ScanToWrite, ids: ObjectIds, sopClassUid: string, modality: string): Record<string, unknown> {
  const acquired = scan.acquisitionDateTime;
  return {
    SOPClassUID: sopClassUid,
    SOPInstanceUID: ids.sopInstanceUid,
    StudyInstanceUID: ids.studyInstanceUid,
    SeriesInstanceUID: ids.seriesInstanceUid,
    Modality: modality,
    ...optional({
      Manufacturer: scan.manufacturer,
      InstitutionName: scan.institutionName,
      StationName: scan.stationName,
      SeriesDescription: scan.seriesDescription,
      PatientName: scan.patient.name,
      PatientBirthDate: scan.patient.birthDate,
      PatientSex: scan.patient.sex,
      StudyDate: scan.study?.date,
      StudyTime: scan.study?.time,
      AccessionNumber: scan.study?.accessionNumber,
      StudyDescription: scan.study?.description,
      AcquisitionDateTime: acquired ? acquired.toISOString().replace(/[-:T]/g, '').replace('Z', '') : undefined,
    }),
    PatientID: scan.patient.id,
    SeriesNumber: 1,
    InstanceNumber: ids.instanceNumber,
  };
}

function nuclearMedicineViews(views: ViewImage[]): Record<string, unknown> {
  return {
    ImageType: ['ORIGINAL', 'PRIMARY', 'WHOLE BODY', 'EMISSION'],
    NumberOfFrames: views.length,
    FrameIncrementPointer: '00540020',
    NumberOfDetectors: views.length,
    DetectorVector: views.map((_, i) => i + 1),
    DetectorInformationSequence: views.map((v) => ({ ViewCodeSequence: [viewCode(v.view)] })),
  };
}

function secondaryCaptureViews(views: ViewImage[]): Record<string, unknown> {
  const [{ view }] = views;
  return {
    ImageType: ['DERIVED', 'SECONDARY', 'WHOLE BODY', view === 'AP' ? 'ANTERIOR' : 'POSTERIOR'],
    ConversionType: 'WSD',
    PatientOrientation: view === 'AP' ? ['L', 'F'] : ['R', 'F'],
  };
}

function viewCode(view: View): Record<string, string> {
  const code = VIEW_CODES[view];
  return { CodeValue: code.value, CodingSchemeDesignator: code.scheme, CodeMeaning: code.meaning };
}

function optional(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function concatenate(views: ViewImage[]): Float32Array {
  const out = new Float32Array(views.reduce((sum, v) => sum + v.pixels.length, 0));
  views.reduce((offset, v) => (out.set(v.pixels, offset), offset + v.pixels.length), 0);
  return out;
}

function pixelData(syntax: TransferSyntaxName, frames: Uint8Array[], format: FrameFormat): ArrayBuffer[] {
  if (syntax === 'rle') return frames.map((frame) => toArrayBuffer(encodeRleFrame(frame, format)));
  if (isNativeSyntax(syntax)) return frames.map((frame) => toArrayBuffer(encodeNativeFrame(syntax, frame, format)));
  const all = concatBytes(frames);
  return [toArrayBuffer(syntax === 'explicit-be' && format.bitsAllocated === 16 ? swapBytePairs(all) : all)];
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Deflated Explicit VR LE: the file meta stays plain, the dataset after it is raw-deflated (PS3.5 A.5). */
function deflateDataset(explicit: Uint8Array, meta: Record<string, unknown>): Uint8Array {
  const datasetStart = 132 + 12 + new DataView(explicit.buffer, explicit.byteOffset).getUint32(140, true);
  const header = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset({ ...meta, TransferSyntaxUID: TRANSFER_SYNTAXES.deflated.uid }));
  header.dict = {};
  const headerBytes = new Uint8Array(header.write());
  return concatBytes([headerBytes, zlib.deflateRawSync(explicit.subarray(datasetStart))]);
}
