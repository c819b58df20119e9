import { concatBytes } from '../src/bytes';
import { DicomError, readBoneScan, smallTestViews, uidFromText, writeBoneScan, type TransferSyntaxName } from '../src';

/**
 * Mutation fuzzing of the reader: valid objects in every transfer syntax, a few bytes changed, cut or shuffled.
 * The contract: readBoneScan either returns a scan or throws a DicomError with a code; anything else is a crash.
 */

const SEED_SYNTAXES: TransferSyntaxName[] = [
  'explicit-le',
  'implicit-le',
  'explicit-be',
  'deflated',
  'rle',
  'jpeg-lossless',
  'jpeg-ls-lossless',
  'jpeg2000-lossless',
  'jpeg-baseline',
];

export interface FuzzSeed {
  name: string;
  bytes: Uint8Array;
}

/**
 * Small (64 × 256) valid objects: multi-frame in every syntax, plus single-frame and secondary capture. Needs loadCodecs().
 * Their UIDs come from `seedSet`, so the same set gives the same bytes and a failing case replays exactly; a random UID
 * would shift every offset and make each run fuzz different objects.
 */
export function fuzzSeeds(seedSet = 'ci'): FuzzSeed[] {
  const uid = (what: string) => uidFromText(`bonescan-fuzz:${seedSet}:${what}`);
  const scan = {
    views: smallTestViews(),
    patient: { id: 'FUZZ', name: 'FUZZ^SEED' },
    study: { date: '20240101', description: 'FUZZ' },
    studyInstanceUid: uid('study'),
    seriesInstanceUid: uid('series'),
    sopInstanceUids: [uid('instance 1'), uid('instance 2')],
  };
  return [
    ...SEED_SYNTAXES.map((syntax) => ({ name: `${syntax} multi-frame`, bytes: writeBoneScan(scan, { layout: 'multiframe', transferSyntax: syntax })[0] })),
    { name: 'explicit-le single-frame', bytes: writeBoneScan(scan, { layout: 'single-frame', transferSyntax: 'explicit-le' })[0] },
    { name: 'secondary capture', bytes: writeBoneScan(scan, { layout: 'single-frame', transferSyntax: 'implicit-le', sopClass: 'SC' })[1] },
  ];
}

/** Small deterministic generator (xorshift32) so a failing case can be replayed from its number. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, 0xe0, 0x10];

export function mutate(original: Uint8Array, caseNumber: number): Uint8Array {
  const next = generator(caseNumber * 2654435761);
  const at = (limit: number) => Math.floor(next() * limit);
  // Most mutations land in the first 2 KB, where the header, sequences and fragment table live.
  const position = () => (next() < 0.75 ? at(Math.min(original.length, 2048)) : at(original.length));
  const strategy = at(6);
  if (strategy === 0) return original.subarray(0, at(original.length));
  if (strategy === 1) {
    const start = position();
    return concatBytes([original.subarray(0, start), original.subarray(Math.min(original.length, start + 1 + at(64)))]);
  }
  if (strategy === 2) {
    const start = position();
    return concatBytes([original.subarray(0, start), original.subarray(start, start + 1 + at(32)), original.subarray(start)]);
  }
  const bytes = Uint8Array.from(original);
  const changes = 1 + at(strategy === 5 ? 16 : 4);
  for (let i = 0; i < changes; i++) {
    const p = position();
    if (strategy === 3) bytes[p] ^= 1 << at(8);
    else if (strategy === 4) bytes[p] = INTERESTING_BYTES[at(INTERESTING_BYTES.length)];
    else bytes[p] = at(256);
  }
  return bytes;
}

export interface FuzzReport {
  cases: number;
  accepted: number;
  rejected: Record<string, number>;
  crashes: { caseNumber: number; seed: string; error: string }[];
}

export function fuzzReader(seeds: FuzzSeed[], cases: number, firstCase = 0, onProgress?: (done: number) => void): FuzzReport {
  const report: FuzzReport = { cases, accepted: 0, rejected: {}, crashes: [] };
  for (let i = 0; i < cases; i++) {
    const caseNumber = firstCase + i;
    const seed = seeds[caseNumber % seeds.length];
    try {
      readBoneScan(mutate(seed.bytes, caseNumber));
      report.accepted++;
    } catch (error) {
      if (error instanceof DicomError && error.code) report.rejected[error.code] = (report.rejected[error.code] ?? 0) + 1;
      else report.crashes.push({ caseNumber, seed: seed.name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
    if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1);
  }
  return report;
}
