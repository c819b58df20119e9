import type { DataSet } from 'dicom-parser';
import { DicomError, describeThrown } from '../errors';
import { loadCodecs } from '../codecs/native';
import type { BoneScanObject } from '../types';
import { decodeFrames } from './frames';
import { readImagePixel, samplesToValues } from './image-pixel';
import { parseObject } from './parse';
import { identifyViews } from './views';

export const SOP_CLASSES = {
  nmImage: '1.2.840.10008.5.1.4.1.1.20',
  nmImageRetired: '1.2.840.10008.5.1.4.1.1.5',
  secondaryCapture: '1.2.840.10008.5.1.4.1.1.7',
  multiframeGrayscaleWordSecondaryCapture: '1.2.840.10008.5.1.4.1.1.7.3',
} as const;
const SECONDARY_CAPTURE_CLASSES: string[] = ['1.2.840.10008.5.1.4.1.1.7', '1.2.840.10008.5.1.4.1.1.7.2', '1.2.840.10008.5.1.4.1.1.7.3'];

/**
 * Reads one DICOM object of a whole-body bone scan: validates it (NM or secondary capture, pixel data present,
 * sane matrix), decodes its pixels whatever the transfer syntax and tells its views apart.
 * JPEG-family syntaxes need `await loadCodecs()` once beforehand (or use readBoneScanAsync).
 * Every rejection is a DicomError with a code; nothing else escapes, whatever the bytes.
 */
export function readBoneScan(bytes: Uint8Array): BoneScanObject {
  try {
    return readValidated(bytes);
  } catch (thrown) {
    if (thrown instanceof DicomError) throw thrown;
    if (thrown instanceof Error && thrown.message.includes('loadCodecs')) throw thrown;
    throw new DicomError('INVALID', `malformed DICOM object: ${describeThrown(thrown)}`);
  }
}

/** readBoneScan after making sure the WebAssembly codecs are loaded. */
export async function readBoneScanAsync(bytes: Uint8Array): Promise<BoneScanObject> {
  await loadCodecs();
  return readBoneScan(bytes);
}

function readValidated(bytes: Uint8Array): BoneScanObject {
  const { dataSet, transferSyntax, transferSyntaxUid } = parseObject(bytes);
  const modality = text(dataSet, 'x00080060') ?? '';
  const sopClassUid = text(dataSet, 'x00080016') ?? '';
  assertBoneScanModality(modality, sopClassUid);
  const image = readImagePixel(dataSet);
  const views = identifyViews(dataSet, image.frames);
  const frames = decodeFrames(dataSet, transferSyntax, image);
  return {
    sopInstanceUid: requiredUid(dataSet, 'x00080018', 'SOP Instance UID'),
    studyInstanceUid: requiredUid(dataSet, 'x0020000d', 'Study Instance UID'),
    seriesInstanceUid: requiredUid(dataSet, 'x0020000e', 'Series Instance UID'),
    sopClassUid,
    transferSyntaxUid,
    modality,
    manufacturer: text(dataSet, 'x00080070'),
    institutionName: text(dataSet, 'x00080080'),
    stationName: text(dataSet, 'x00081010'),
    patient: {
      id: text(dataSet, 'x00100020') ?? '',
      name: text(dataSet, 'x00100010'),
      birthDate: text(dataSet, 'x00100030'),
      sex: text(dataSet, 'x00100040'),
    },
    study: {
      date: text(dataSet, 'x00080020'),
      time: text(dataSet, 'x00080030'),
      accessionNumber: text(dataSet, 'x00080050'),
      description: text(dataSet, 'x00081030'),
    },
    acquisitionDateTime: acquisitionDateTime(dataSet),
    views: frames.map((raw, i) => ({
      view: views[i],
      width: image.width,
      height: image.height,
      pixels: samplesToValues(raw, image),
      pixelSpacingMm: image.pixelSpacingMm,
    })),
  };
}

function assertBoneScanModality(modality: string, sopClassUid: string): void {
  const nuclearMedicine = modality === 'NM' && sopClassUid !== '';
  const secondaryCapture = SECONDARY_CAPTURE_CLASSES.includes(sopClassUid) && (modality === 'NM' || modality === 'OT');
  if (!nuclearMedicine && !secondaryCapture) {
    throw new DicomError(
      'UNSUPPORTED_MODALITY',
      `modality "${modality || 'none'}" (SOP class ${sopClassUid || 'none'}) is not a bone scan: NM or whole-body secondary capture expected`,
    );
  }
}

function text(dataSet: DataSet, tag: string): string | undefined {
  const value = dataSet.string(tag)?.replace(/\0/g, '').trim();
  return value ? value : undefined;
}

function requiredUid(dataSet: DataSet, tag: string, name: string): string {
  const uid = text(dataSet, tag);
  if (!uid) throw new DicomError('INVALID', `${name} (${tag.slice(1, 5)},${tag.slice(5)}) is missing`);
  return uid;
}

/** Acquisition DateTime, else Acquisition Date + Time, else Content Date + Time; read as UTC (DICOM has no zone unless told). */
function acquisitionDateTime(dataSet: DataSet): Date | undefined {
  const combined = text(dataSet, 'x0008002a');
  const date = combined?.slice(0, 8) ?? text(dataSet, 'x00080022') ?? text(dataSet, 'x00080023');
  const time = combined?.slice(8) ?? text(dataSet, 'x00080032') ?? text(dataSet, 'x00080033') ?? '';
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(date ?? '');
  if (!d) return undefined;
  const t = /^(\d{2})?(\d{2})?(\d{2})?(\.\d+)?/.exec(time) ?? [];
  const parsed = new Date(Date.UTC(+d[1], +d[2] - 1, +d[3], +(t[1] ?? 0), +(t[2] ?? 0), +(t[3] ?? 0), Math.round(Number(t[4] ?? 0) * 1000)));
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
