import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { loadCodecs, uidFromText, writeBoneScan, TRANSFER_SYNTAXES, type TransferSyntaxName, type WriteOptions } from '@bonescan/dicom';
import { CENTRE_PROFILES, type Centre } from './centres';
import type { Finding } from './findings';
import { generatePhantom, type PhantomCase } from './generate';
import { Random } from './random';

export const LABELS_FILE = 'labels.csv';
/** The model trainer reads these columns by name; keep them exactly. */
export const LABEL_COLUMNS = ['case_id', 'file', 'mbd', 'findings', 'centre'] as const;

export interface PhantomSetOptions {
  n: number;
  /** Fraction of MBD-positive cases; exactly round(n × prevalence) are positive. */
  prevalence: number;
  centre: Centre;
  out: string;
  seed?: number;
  layout?: WriteOptions['layout'];
  transferSyntax?: TransferSyntaxName;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes a labelled phantom set: dicom/<case>.dcm (or -AP/-PA.dcm), masks/<case>-AP.png and -PA.png
 * (0 background, 1 metastasis, 2 benign finding), and labels.csv, written last so a set with a
 * labels file is always complete.
 */
export async function writePhantomSet(options: PhantomSetOptions): Promise<void> {
  validate(options);
  const { n, centre, out, seed = 1, layout = 'multiframe', transferSyntax = 'explicit-le' } = options;
  if (TRANSFER_SYNTAXES[transferSyntax].encapsulated && transferSyntax !== 'rle') await loadCodecs();
  await mkdir(path.join(out, 'dicom'), { recursive: true });
  await mkdir(path.join(out, 'masks'), { recursive: true });
  const labels = positives(n, options.prevalence, seed);
  const rows: string[] = [LABEL_COLUMNS.join(',')];
  for (let i = 0; i < n; i++) {
    const caseId = `${centre}${String(seed).padStart(3, '0')}-${String(i + 1).padStart(5, '0')}`;
    const phantom = generatePhantom({ seed: caseSeed(seed, i), centre, mbd: labels[i], caseId });
    const files = await writeCase(phantom, out, { layout, transferSyntax }, seed, i);
    rows.push([caseId, files.join(';'), phantom.mbd, describeFindings(phantom.findings), centre].join(','));
    options.onProgress?.(i + 1, n);
  }
  const labelsPath = path.join(out, LABELS_FILE);
  await writeFile(`${labelsPath}.partial`, `${rows.join('\n')}\n`);
  await rename(`${labelsPath}.partial`, labelsPath);
}

function validate(options: PhantomSetOptions): void {
  if (!Number.isInteger(options.n) || options.n < 1) throw new Error(`n must be a positive whole number of cases, got ${options.n}`);
  if (!(options.prevalence >= 0 && options.prevalence <= 1)) throw new Error(`prevalence must be between 0 and 1, got ${options.prevalence}`);
  if (!(options.centre in CENTRE_PROFILES)) throw new Error(`centre must be one of ${Object.keys(CENTRE_PROFILES).join(', ')}, got ${options.centre}`);
  if (options.transferSyntax && !(options.transferSyntax in TRANSFER_SYNTAXES)) {
    throw new Error(`transfer syntax must be one of ${Object.keys(TRANSFER_SYNTAXES).join(', ')}, got ${options.transferSyntax}`);
  }
}

/** Which cases are positive: exactly the requested count, in a seeded random order. */
function positives(n: number, prevalence: number, seed: number): boolean[] {
  const labels = Array.from({ length: n }, (_, i) => i < Math.round(n * prevalence));
  const random = new Random(seed ^ 0x5bd1e995);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(0, i);
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  return labels;
}

function caseSeed(setSeed: number, index: number): number {
  return (Math.imul(setSeed, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/** "METASTASIS:T7|INJECTION_SITE:elbow-LEFT"; commas never appear, so the CSV needs no quoting. */
export function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.kind}:${f.site}`).join('|');
}

async function writeCase(phantom: PhantomCase, out: string, options: WriteOptions, setSeed: number, index: number): Promise<string[]> {
  const profile = CENTRE_PROFILES[phantom.centre];
  const spacing: [number, number] = [phantom.pixelSpacingMm, phantom.pixelSpacingMm];
  const uid = (what: string) => uidFromText(`bonescan-phantom:${setSeed}:${phantom.caseId}:${what}`);
  const acquired = new Date(Date.UTC(2024, 0, 1, 8) + index * 3_600_000);
  const objects = writeBoneScan(
    {
      views: [
        { view: 'AP', width: phantom.width, height: phantom.height, pixels: phantom.views.AP, pixelSpacingMm: spacing },
        { view: 'PA', width: phantom.width, height: phantom.height, pixels: phantom.views.PA, pixelSpacingMm: spacing },
      ],
      patient: { id: `PHANTOM-${phantom.caseId}`, name: `PHANTOM^${phantom.caseId}`, sex: 'O' },
      study: {
        date: acquired.toISOString().slice(0, 10).replace(/-/g, ''),
        time: '080000',
        accessionNumber: phantom.caseId,
        description: 'NM WHOLE BODY BONE SCAN (PHANTOM)',
      },
      studyInstanceUid: uid('study'),
      seriesInstanceUid: uid('series'),
      sopInstanceUids: [uid('object-1'), uid('object-2')],
      acquisitionDateTime: acquired,
      manufacturer: profile.manufacturer,
      institutionName: profile.institutionName,
      stationName: profile.stationName,
      seriesDescription: 'WB BONE',
    },
    options,
  );
  const names = objects.length === 1 ? [`${phantom.caseId}.dcm`] : [`${phantom.caseId}-AP.dcm`, `${phantom.caseId}-PA.dcm`];
  await Promise.all(objects.map((bytes, i) => writeFile(path.join(out, 'dicom', names[i]), bytes)));
  await writeFile(path.join(out, 'masks', `${phantom.caseId}-AP.png`), maskPng(phantom.lesionMasks.AP, phantom.width, phantom.height));
  await writeFile(path.join(out, 'masks', `${phantom.caseId}-PA.png`), maskPng(phantom.lesionMasks.PA, phantom.width, phantom.height));
  return names.map((name) => `dicom/${name}`);
}

/** 8-bit greyscale PNG holding the mask values themselves (0/1/2), not a rendering. */
function maskPng(mask: Uint8Array, width: number, height: number): Buffer {
  return PNG.sync.write(Object.assign(new PNG({ width, height }), { data: Buffer.from(mask) }), {
    colorType: 0,
    inputColorType: 0,
    bitDepth: 8,
    inputHasAlpha: false,
  });
}
