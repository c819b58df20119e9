import { findHotspots } from './hotspots';
import { bodyFrameOf, bodyRegionAt, WHOLE_VIEW } from './body-regions';

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
    const AP = blobs(256, 512, [
      [128, 150, 1],
      [128, 280, 0.7],
      [40, 420, 0.3],
    ]);
    const PA = blobs(256, 512, [[100, 290, 0.9]]);
    const hotspots = findHotspots({ AP, PA, width: 256, height: 512 });
    expect(hotspots).toEqual([
      { view: 'AP', x: 128, y: 150, intensity: 1, region: 'THORACIC_SPINE' },
      { view: 'PA', x: 100, y: 290, intensity: expect.closeTo(0.9, 6), region: 'LOWER_LIMB' },
      { view: 'AP', x: 128, y: 280, intensity: expect.closeTo(0.7, 6), region: 'BLADDER' },
    ]);
  });

  it('finds nothing in an empty map', () => {
    const empty = new Float32Array(256 * 512);
    expect(findHotspots({ AP: empty, PA: empty, width: 256, height: 512 })).toEqual([]);
  });
});

describe('body regions', () => {
  // A patient from row 45 (top of skull) to row 362 (soles), midline at column 128: body height 317 px.
  const frame = { top: 45, bottom: 362, midline: 128 };

  it('finds the body frame in a view: extent of rows with counts, count-weighted midline', () => {
    const view = new Float32Array(256 * 512);
    for (let y = 45; y <= 362; y++) for (let x = 110; x <= 146; x++) view[y * 256 + x] = 0.5;
    view[500 * 256 + 3] = 1; // one hot background pixel does not stretch the body (it only nudges the midline)
    // midline = (318 * 37 * 0.5 * 128 + 1 * 3) / (318 * 37 * 0.5 + 1) = 128 - 125 / 5884
    expect(bodyFrameOf(view)).toEqual({ top: 45, bottom: 362, midline: expect.closeTo(128 - 125 / 5884, 9) });
    expect(bodyFrameOf(new Float32Array(256 * 512))).toEqual(WHOLE_VIEW);
  });

  it.each([
    [128, 60, 'SKULL'],
    [128, 95, 'CERVICAL_SPINE'],
    [128, 140, 'THORACIC_SPINE'],
    [160, 120, 'RIBS'],
    [60, 105, 'SHOULDER'],
    [45, 180, 'UPPER_LIMB'],
    [128, 175, 'LUMBAR_SPINE'],
    [100, 165, 'KIDNEY'],
    [100, 200, 'PELVIS'],
    [128, 205, 'BLADDER'],
    [110, 300, 'LOWER_LIMB'],
  ] as const)('(%i, %i) lies in %s', (x, y, region) => {
    expect(bodyRegionAt(x, y, frame)).toBe(region);
  });
});
