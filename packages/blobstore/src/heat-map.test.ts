import { decodeHeatMaps, encodeHeatMaps, HEAT_MAP, HeatMapFormatError } from '.';

// The layout written out by hand, not taken from the codec: AP's 256 × 512 values, then PA's, little-endian Float32.
const WIDTH = 256;
const HEIGHT = 512;
const PER_VIEW = WIDTH * HEIGHT;
const apValue = (i: number) => (i % 7) / 8; // 0, 1/8 … 6/8: exact in Float32
const paValue = (i: number) => 1 - (i % 5) / 16;

function handMadeBlob(): Uint8Array {
  const bytes = new Uint8Array(2 * PER_VIEW * 4);
  const data = new DataView(bytes.buffer);
  for (let i = 0; i < PER_VIEW; i += 1) {
    data.setFloat32(4 * i, apValue(i), true);
    data.setFloat32(4 * (PER_VIEW + i), paValue(i), true);
  }
  return bytes;
}

describe('heat-map codec', () => {
  it('sizes each view’s map as the model’s 256 × 512 input, AP first', () => {
    expect(HEAT_MAP).toEqual({ width: WIDTH, height: HEIGHT, views: ['AP', 'PA'] });
  });

  it('encode AP then PA, byte for byte as the layout says', () => {
    const encoded = encodeHeatMaps({
      AP: Float32Array.from({ length: PER_VIEW }, (_, i) => apValue(i)),
      PA: Float32Array.from({ length: PER_VIEW }, (_, i) => paValue(i)),
    });
    expect(Buffer.compare(Buffer.from(encoded), Buffer.from(handMadeBlob()))).toBe(0);
  });

  it('decode a blob into its AP and PA maps', () => {
    const { AP, PA } = decodeHeatMaps(handMadeBlob());
    expect(AP).toHaveLength(PER_VIEW);
    expect(PA).toHaveLength(PER_VIEW);
    expect([AP[0], AP[1], AP[PER_VIEW - 1]]).toEqual([apValue(0), apValue(1), apValue(PER_VIEW - 1)]);
    expect([PA[0], PA[1], PA[PER_VIEW - 1]]).toEqual([paValue(0), paValue(1), paValue(PER_VIEW - 1)]);
    expect(AP.every((value, i) => value === apValue(i))).toBe(true);
    expect(PA.every((value, i) => value === paValue(i))).toBe(true);
  });

  it('refuse a map of the wrong size, naming its view and the size it must be', () => {
    const right = new Float32Array(PER_VIEW);
    const tooTall = new Float32Array(WIDTH * 1024); // a map in the camera view's own 256 × 1024 pixels
    expect(() => encodeHeatMaps({ AP: right, PA: tooTall })).toThrow(
      new HeatMapFormatError('The PA heat map has 262144 values; a heat map is 256 × 512 = 131072'),
    );
  });

  it('refuse a blob of the wrong length rather than cut or pad it', () => {
    const truncated = handMadeBlob().subarray(0, PER_VIEW * 4);
    expect(() => decodeHeatMaps(truncated)).toThrow(
      new HeatMapFormatError('A heat-map blob of 524288 bytes is not AP and PA maps of 256 × 512 Float32 values (1048576 bytes)'),
    );
    expect(() => decodeHeatMaps(new Uint8Array(2 * PER_VIEW * 4 + 3))).toThrow(HeatMapFormatError);
  });
});
