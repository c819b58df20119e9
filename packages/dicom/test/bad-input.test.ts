import { badBoneScanObjects, DicomError, pairViews, readBoneScan, writeBoneScan, smallTestViews, type DicomErrorCode } from '../src';

function rejection(action: () => unknown): DicomError {
  try {
    action();
  } catch (error) {
    if (error instanceof DicomError) return error;
    throw new Error(`expected a DicomError, got ${String(error)}`);
  }
  throw new Error('expected a DicomError, but the input was accepted');
}

describe('failing: bad inputs are each rejected with their own DicomError code and a message saying what was wrong', () => {
  const cases = badBoneScanObjects();

  it('covers every rejection the ingest acceptance lists', () => {
    const codes = new Set(cases.map((c) => c.code));
    const required: DicomErrorCode[] = [
      'NOT_DICOM',
      'TRUNCATED',
      'NO_PIXEL_DATA',
      'UNSUPPORTED_MODALITY',
      'UNSUPPORTED_TRANSFER_SYNTAX',
      'MATRIX_TOO_LARGE',
      'CORRUPT_PIXEL_DATA',
      'PATIENT_MISMATCH',
    ];
    expect(required.filter((code) => !codes.has(code))).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, bad) => {
    const error = rejection(() => pairViews(bad.objects.map((bytes) => readBoneScan(bytes))));
    expect(error.code).toBe(bad.code);
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('rejects the 100,000 × 100,000 matrix from the header, before any decoding or allocation', () => {
    const huge = badBoneScanObjects().find((c) => c.code === 'MATRIX_TOO_LARGE')!;
    const before = process.memoryUsage().arrayBuffers;
    const error = rejection(() => readBoneScan(huge.objects[0]));
    expect(error.message).toContain('100000×100000');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('says which RLE segment is corrupt', () => {
    const rle = badBoneScanObjects().find((c) => c.code === 'CORRUPT_PIXEL_DATA')!;
    expect(rejection(() => readBoneScan(rle.objects[0])).message).toMatch(/RLE segment 2 decodes to \d+ of 16384 samples/);
  });

  it('rejects an empty buffer and a file cut at every length through its header as NOT_DICOM or TRUNCATED', () => {
    const valid = writeBoneScan({ views: smallTestViews(), patient: { id: 'P' } }, { layout: 'multiframe', transferSyntax: 'explicit-le' })[0];
    expect(rejection(() => readBoneScan(new Uint8Array(0))).code).toBe('NOT_DICOM');
    for (let length = 132; length < 1200; length += 7) {
      const code = rejection(() => readBoneScan(valid.subarray(0, length))).code;
      expect([length, code]).toEqual([length, expect.stringMatching(/^(TRUNCATED|INVALID|NO_PIXEL_DATA)$/)]);
    }
  });

  it('refuses two anterior views of one study and views of different studies', () => {
    const views = smallTestViews();
    const [ap] = writeBoneScan(
      { views: [views[0]], patient: { id: 'P' }, studyInstanceUid: '2.25.5' },
      { layout: 'single-frame', transferSyntax: 'explicit-le' },
    );
    const [otherStudy] = writeBoneScan(
      { views: [views[1]], patient: { id: 'P' }, studyInstanceUid: '2.25.6' },
      { layout: 'single-frame', transferSyntax: 'explicit-le' },
    );
    expect(rejection(() => pairViews([readBoneScan(ap), readBoneScan(ap)])).message).toContain('more than one AP');
    expect(rejection(() => pairViews([readBoneScan(ap), readBoneScan(otherStudy)])).code).toBe('INVALID');
  });
});
