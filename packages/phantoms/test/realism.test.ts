import { CENTRE_PROFILES, generatePhantom, type Centre, type PhantomCase } from '../src';
import { auc, diskMean, hottest, median, mirrored, total } from './measure';

function cohort(centre: Centre, count: number, firstSeed: number): PhantomCase[] {
  return Array.from({ length: count }, (_, i) => generatePhantom({ seed: firstSeed + i, centre, mbd: i % 2 === 0 }));
}

const isSuperscan = (p: PhantomCase) => p.findings.some((f) => f.kind === 'SUPERSCAN');

describe('successful: phantoms look and count like real whole-body bone scans', () => {
  const centreA = cohort('A', 80, 1000);

  it('is reproducible from its seed, and different seeds give different patients', () => {
    const a = generatePhantom({ seed: 42, centre: 'B', mbd: true });
    const b = generatePhantom({ seed: 42, centre: 'B', mbd: true });
    const c = generatePhantom({ seed: 43, centre: 'B', mbd: true });
    expect(Buffer.from(a.views.AP.buffer).equals(Buffer.from(b.views.AP.buffer))).toBe(true);
    expect(Buffer.from(a.lesionMasks.PA).equals(Buffer.from(b.lesionMasks.PA))).toBe(true);
    expect(a.findings).toEqual(b.findings);
    expect(Buffer.from(a.views.AP.buffer).equals(Buffer.from(c.views.AP.buffer))).toBe(false);
  });

  it('holds about 3.6 million counts in a 256 × 1024 anterior view, hottest pixel near 278', () => {
    const totals = centreA.map((p) => total(p.views.AP));
    const peaks = centreA.map((p) => hottest(p.views.AP));
    expect([centreA[0].width, centreA[0].height]).toEqual([256, 1024]);
    expect(Math.min(...totals)).toBeGreaterThan(2.0e6);
    expect(Math.max(...totals)).toBeLessThan(6.0e6);
    expect(Math.abs(median(totals) / 3.6e6 - 1)).toBeLessThan(0.1);
    expect(Math.min(...peaks)).toBeGreaterThan(120);
    expect(Math.max(...peaks)).toBeLessThan(1500);
    expect(median(peaks)).toBeGreaterThan(200);
    expect(median(peaks)).toBeLessThan(420);
  });

  it('has Poisson counting noise: whole counts, variance equal to the mean', () => {
    const phantom = centreA[1];
    const corner: number[] = [];
    for (let y = 1000; y < 1024; y++) for (let x = 0; x < 40; x++) corner.push(phantom.views.AP[y * 256 + x]);
    expect(corner.every(Number.isInteger)).toBe(true);
    const mean = corner.reduce((a, b) => a + b, 0) / corner.length;
    const variance = corner.reduce((a, b) => a + (b - mean) ** 2, 0) / corner.length;
    expect(mean).toBeGreaterThan(0.05);
    expect(variance / mean).toBeGreaterThan(0.7);
    expect(variance / mean).toBeLessThan(1.3);
  });

  it('shows the bladder on the anterior view and both kidneys on the posterior view', () => {
    for (const phantom of centreA.filter((p) => !isSuperscan(p))) {
      const mmToPx = 1 / phantom.pixelSpacingMm;
      // Against the typical body pixel (mostly soft tissue): a filled bladder stands well above it.
      const body = Array.from(phantom.views.AP).filter((count) => count > 3);
      const bladder = diskMean(phantom.views.AP, phantom.width, phantom.landmarks.bladder, 12 * mmToPx);
      expect(bladder).toBeGreaterThan(2.5 * median(body));
      for (const kidney of phantom.landmarks.kidneys) {
        const [x, y] = mirrored(phantom, kidney);
        const inKidney = diskMean(phantom.views.PA, phantom.width, [x, y], 10 * mmToPx);
        const flank = diskMean(phantom.views.PA, phantom.width, [x + Math.sign(x - phantom.width / 2) * 55 * mmToPx, y + 30 * mmToPx], 8 * mmToPx);
        expect(inKidney).toBeGreaterThan(1.4 * flank);
      }
    }
  });

  it('makes superscans with faint kidneys relative to the spine', () => {
    const superscan = generatePhantom({ seed: 5009, centre: 'A', mbd: true });
    const normal = centreA.find((p) => !p.mbd)!;
    const kidneyToBladder = (p: PhantomCase) => {
      const [x, y] = mirrored(p, p.landmarks.kidneys[0]);
      return diskMean(p.views.PA, p.width, [x, y], 4) / hottest(p.views.PA);
    };
    expect(isSuperscan(superscan)).toBe(true);
    expect(kidneyToBladder(superscan)).toBeLessThan(kidneyToBladder(normal));
  });

  it('labels metastases in the masks (1), benign findings as 2, and mirrors the masks like the views', () => {
    for (const phantom of centreA) {
      const metastatic = phantom.lesionMasks.AP.includes(1);
      const focal = phantom.findings.some((f) => f.kind === 'METASTASIS');
      expect(metastatic).toBe(focal);
      if (!phantom.mbd) expect(metastatic).toBe(false);
      if (phantom.findings.some((f) => !f.malignant)) expect(phantom.lesionMasks.AP.includes(2)).toBe(true);
      for (let y = 0; y < phantom.height; y += 97) {
        for (let x = 0; x < phantom.width; x++)
          expect(phantom.lesionMasks.PA[y * phantom.width + x]).toBe(phantom.lesionMasks.AP[y * phantom.width + phantom.width - 1 - x]);
      }
    }
  });

  it('puts most metastases in the axial skeleton, and gives benign confounders to both classes', () => {
    const metastases = centreA.flatMap((p) => p.findings.filter((f) => f.kind === 'METASTASIS'));
    const axial = metastases.filter((f) => f.region !== 'UPPER_LIMB' && f.region !== 'LOWER_LIMB' && f.region !== 'SHOULDER');
    expect(axial.length / metastases.length).toBeGreaterThan(0.75);
    const confounded = (mbd: 0 | 1) =>
      centreA.filter((p) => p.mbd === mbd && p.findings.some((f) => !f.malignant)).length / centreA.filter((p) => p.mbd === mbd).length;
    expect(confounded(0)).toBeGreaterThan(0.4);
    expect(confounded(1)).toBeGreaterThan(0.4);
  });

  it.each([['A'], ['C']] as const)('cannot separate metastatic from benign by brightness alone at centre %s (AUC of the hottest pixel < 0.75)', (centre) => {
    const cases = centre === 'A' ? centreA : cohort(centre, 50, 9000);
    const peak = (p: PhantomCase) => Math.max(hottest(p.views.AP), hottest(p.views.PA));
    const value = auc(cases.filter((p) => p.mbd).map(peak), cases.filter((p) => !p.mbd).map(peak));
    expect(value).toBeLessThan(0.75);
    expect(value).toBeGreaterThan(0.25);
  });

  it('differs between centres in matrix spacing, counts and resolution', () => {
    const counts = (['A', 'B', 'C'] as const).map(
      (centre) => median(cohort(centre, 6, 77).map((p) => total(p.views.AP))) / CENTRE_PROFILES[centre].anteriorCounts,
    );
    for (const ratio of counts) expect(Math.abs(ratio - 1)).toBeLessThan(0.2);
    expect(new Set(Object.values(CENTRE_PROFILES).map((p) => `${p.pixelSpacingMm}/${p.resolutionFwhmMm}/${p.anteriorCounts}`)).size).toBe(3);
  });
});
