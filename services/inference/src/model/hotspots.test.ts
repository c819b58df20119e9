import { findHotspots } from './hotspots';
import { bodyRegionAt } from './body-regions';

function blobs(width: number, height: number, centres: Array<[number, number, number]>): Float32Array {
  const map = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      map[y * width + x] = Math.max(0, ...centres.map(([cx, cy, peak]) => peak * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 200)));
    }
  }
  return map;
}

describe('findHotspots', () => {
  it('returns one hotspot per peak above the threshold, strongest first, with view and region', () => {
    const AP = blobs(256, 512, [[128, 150, 1], [128, 280, 0.7], [40, 420, 0.3]]);
    const PA = blobs(256, 512, [[100, 290, 0.9]]);
    const hotspots = findHotspots({ AP, PA, width: 256, height: 512 });
    expect(hotspots).toEqual([
      { view: 'AP', x: 128, y: 150, intensity: 1, region: 'THORACIC_SPINE' },
      { view: 'PA', x: 100, y: 290, intensity: expect.closeTo(0.9, 6), region: 'PELVIS' },
      { view: 'AP', x: 128, y: 280, intensity: expect.closeTo(0.7, 6), region: 'PELVIS' },
    ]);
  });

  it('finds nothing in an empty map', () => {
    const empty = new Float32Array(256 * 512);
    expect(findHotspots({ AP: empty, PA: empty, width: 256, height: 512 })).toEqual([]);
  });
});

describe('bodyRegionAt', () => {
  it.each([
    [128, 20, 'SKULL'],
    [128, 75, 'CERVICAL_SPINE'],
    [128, 150, 'THORACIC_SPINE'],
    [90, 150, 'RIBS'],
    [30, 100, 'SHOULDER'],
    [20, 200, 'UPPER_LIMB'],
    [128, 240, 'LUMBAR_SPINE'],
    [100, 280, 'PELVIS'],
    [128, 300, 'BLADDER'],
    [100, 420, 'LOWER_LIMB'],
  ] as const)('(%i, %i) lies in %s', (x, y, region) => {
    expect(bodyRegionAt(x, y)).toBe(region);
  });
});
