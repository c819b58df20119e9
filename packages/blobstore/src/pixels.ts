/**
 * Pixels travel as little-endian Float32 rows; these two functions are the only codec. Encoding is a view
 * of the pixels' own bytes, not a copy: a blob is hashed and written as it is, never changed.
 */
export function encodePixels(pixels: Float32Array): Uint8Array {
  return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
}

export function decodePixels(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`Pixel blob of ${bytes.byteLength} bytes is not whole Float32 values`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
