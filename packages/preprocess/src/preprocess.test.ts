import { preprocessScan, preprocessView, resizeBilinear, PreprocessError, ViewImage } from './index';

function view(width: number, height: number, value: (x: number, y: number) => number): ViewImage {
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = value(x, y);
  return { width, height, pixels };
}

describe('resizeBilinear', () => {
  it('halving averages each 2x2 block (half-pixel centres sample between the two source pixels)', () => {
    // 4x2 -> 2x1: output (0,0) samples input at (0.5, 0.5): mean of 1,2,5,6 = 3.5; output (1,0): mean of 3,4,7,8 = 5.5
    const out = resizeBilinear({ width: 4, height: 2, pixels: [1, 2, 3, 4, 5, 6, 7, 8] }, 2, 1);
    expect(Array.from(out)).toEqual([3.5, 5.5]);
  });

  it('doubling interpolates at quarter positions and clamps at the edges', () => {
    // 2x1 [10, 20] -> 4x1: samples at x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    const out = resizeBilinear({ width: 2, height: 1, pixels: [10, 20] }, 4, 1);
    expect(Array.from(out)).toEqual([10, 12.5, 17.5, 20]);
  });
});

describe('preprocessView', () => {
  it('keeps a 256x512 view in place and min–max normalises it to [0, 1]', () => {
    const out = preprocessView(
      'AP',
      view(256, 512, (x, y) => 100 + 2 * x + y),
    );
    // min 100 at (0,0), max 100 + 510 + 511 = 1121 at (255,511); range 1021
    expect(out[0]).toBe(0);
    expect(out[511 * 256 + 255]).toBe(1);
    expect(out[10 * 256 + 5]).toBeCloseTo((2 * 5 + 10) / 1021, 6);
  });

  it('turns a flat view into zeros instead of dividing by zero', () => {
    expect(
      preprocessView(
        'PA',
        view(8, 8, () => 7),
      ).every((v) => v === 0),
    ).toBe(true);
  });

  it('rejects a view whose pixel count does not match its size, naming the view', () => {
    expect(() => preprocessView('PA', { width: 4, height: 4, pixels: new Float32Array(15) })).toThrow(PreprocessError);
    expect(() => preprocessView('PA', { width: 4, height: 4, pixels: new Float32Array(15) })).toThrow(/PA view has 15 pixels/);
  });

  it('rejects non-finite pixels', () => {
    expect(() =>
      preprocessView(
        'AP',
        view(2, 2, (x) => (x ? NaN : 1)),
      ),
    ).toThrow(/non-finite pixel at index 1/);
  });
});

describe('preprocessScan', () => {
  it('puts AP left and PA right, each normalised on its own, in three identical channels', () => {
    // AP: 512x1024, value 2 everywhere except one 2x2 block of 6 at the top-left -> after halving: 1 at (0,0), 0 elsewhere
    const ap = view(512, 1024, (x, y) => (x < 2 && y < 2 ? 6 : 2));
    // PA: 256x512 ramp over rows: value = y, so normalised = y / 511
    const pa = view(256, 512, (_x, y) => y);
    const input = preprocessScan({ AP: ap, PA: pa });
    expect(input.length).toBe(512 * 512 * 3);
    const at = (x: number, y: number) => Array.from(input.subarray((y * 512 + x) * 3, (y * 512 + x) * 3 + 3));
    expect(at(0, 0)).toEqual([1, 1, 1]);
    expect(at(1, 0)).toEqual([0, 0, 0]);
    expect(at(255, 300)).toEqual([0, 0, 0]);
    expect(at(256, 0)).toEqual([0, 0, 0]);
    const paValue = 300 / 511;
    at(300, 300).forEach((v) => expect(v).toBeCloseTo(paValue, 6));
    expect(at(511, 511)).toEqual([1, 1, 1]);
  });
});
