import { loadCodecs, pairViews, readBoneScan, TRANSFER_SYNTAX_NAMES, TRANSFER_SYNTAXES, writeBoneScan, type TransferSyntaxName } from '../src';
import { maxAbsDifference, phantomViews, relativeRmse, viewOf } from './helpers';

/** How close a lossy syntax must come to the generated counts (hottest pixel ~300 counts). */
const LOSSY_LIMITS: Partial<Record<TransferSyntaxName, { maxAbs?: number; relativeRmse: number }>> = {
  'jpeg-ls-near-lossless': { maxAbs: 2, relativeRmse: 0.01 },
  jpeg2000: { relativeRmse: 0.02 },
  'jpeg-baseline': { relativeRmse: 0.02 },
};

describe('successful: phantom → writeBoneScan → readBoneScan gives back the generated views', () => {
  const views = phantomViews();
  const scan = {
    views,
    patient: { id: 'PHANTOM-RT', name: 'PHANTOM^RT', birthDate: '19600101', sex: 'F' },
    study: { date: '20240102', time: '081500', accessionNumber: 'ACC1', description: 'NM WB BONE' },
    acquisitionDateTime: new Date('2024-01-02T08:20:00Z'),
    manufacturer: 'SIEMENS',
    institutionName: 'Phantom Centre A',
    stationName: 'SYMBIA-A',
  };
  beforeAll(() => loadCodecs());

  it.each(TRANSFER_SYNTAX_NAMES.map((name) => [name]))('%s, both views in one multi-frame NM object', (syntax) => {
    const [bytes] = writeBoneScan(scan, { layout: 'multiframe', transferSyntax: syntax });
    const object = readBoneScan(bytes);
    expect(object.transferSyntaxUid).toBe(TRANSFER_SYNTAXES[syntax].uid);
    expect(object.views.map((v) => v.view)).toEqual(['AP', 'PA']);
    for (const view of ['AP', 'PA'] as const) {
      const original = viewOf(views, view).pixels;
      const decoded = viewOf(object.views, view);
      expect([decoded.width, decoded.height]).toEqual([256, 1024]);
      const limit = LOSSY_LIMITS[syntax];
      if (!limit) expect(maxAbsDifference(decoded.pixels, original)).toBe(0);
      else {
        expect(relativeRmse(decoded.pixels, original)).toBeLessThan(limit.relativeRmse);
        if (limit.maxAbs !== undefined) expect(maxAbsDifference(decoded.pixels, original)).toBeLessThanOrEqual(limit.maxAbs);
      }
    }
  });

  it.each([['explicit-le'], ['rle'], ['jpeg-ls-lossless']] as const)('%s, one single-frame object per view, paired by study', (syntax) => {
    const objects = writeBoneScan(scan, { layout: 'single-frame', transferSyntax: syntax }).map((bytes) => readBoneScan(bytes));
    expect(new Set(objects.map((o) => o.studyInstanceUid)).size).toBe(1);
    const paired = pairViews(objects);
    expect(maxAbsDifference(paired.AP!.pixels, viewOf(views, 'AP').pixels)).toBe(0);
    expect(maxAbsDifference(paired.PA!.pixels, viewOf(views, 'PA').pixels)).toBe(0);
  });

  it('reads patient, study, equipment and acquisition metadata and pixel spacing', () => {
    const object = readBoneScan(writeBoneScan(scan, { layout: 'multiframe', transferSyntax: 'explicit-le' })[0]);
    expect(object).toMatchObject({
      modality: 'NM',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.20',
      manufacturer: 'SIEMENS',
      institutionName: 'Phantom Centre A',
      stationName: 'SYMBIA-A',
      patient: { id: 'PHANTOM-RT', name: 'PHANTOM^RT', birthDate: '19600101', sex: 'F' },
      study: { date: '20240102', time: '081500', accessionNumber: 'ACC1', description: 'NM WB BONE' },
    });
    expect(object.acquisitionDateTime?.toISOString()).toBe('2024-01-02T08:20:00.000Z');
    expect(object.views[0].pixelSpacingMm).toEqual([2.4, 2.4]);
  });

  it('keeps non-integer and negative real values through the rescale slope and intercept', () => {
    const width = 32;
    const height = 64;
    const pixels = Float32Array.from({ length: width * height }, (_, i) => Math.fround(-3.25 + i * 0.37));
    const [bytes] = writeBoneScan(
      { views: [{ view: 'PA', width, height, pixels }], patient: { id: 'R' } },
      { layout: 'single-frame', transferSyntax: 'explicit-le' },
    );
    const [decoded] = readBoneScan(bytes).views;
    const step = (pixels[pixels.length - 1] - pixels[0]) / 65535;
    expect(maxAbsDifference(decoded.pixels, pixels)).toBeLessThanOrEqual(step);
  });

  it('reads whole-body secondary captures, telling views apart by Patient Orientation and Image Type', () => {
    const objects = writeBoneScan(scan, { layout: 'single-frame', transferSyntax: 'explicit-le', sopClass: 'SC' }).map((b) => readBoneScan(b));
    expect(objects.map((o) => [o.modality, o.views[0].view])).toEqual([
      ['OT', 'AP'],
      ['OT', 'PA'],
    ]);
  });
});
