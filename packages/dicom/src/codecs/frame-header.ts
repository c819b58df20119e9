import type { NativeSyntax } from './native';

export interface DeclaredSize {
  width: number;
  height: number;
}

/** Width and height a compressed frame declares in its own header (JPEG SOF / JPEG-LS SOF55 / JPEG 2000 SIZ). */
export function declaredFrameSize(syntax: NativeSyntax, frame: Uint8Array): DeclaredSize | undefined {
  return syntax.startsWith('jpeg2000') ? jpeg2000Size(frame) : jpegSize(frame);
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xf7]);

function jpegSize(frame: Uint8Array): DeclaredSize | undefined {
  if (frame[0] !== 0xff || frame[1] !== 0xd8) return undefined;
  let position = 2;
  while (position + 9 <= frame.length) {
    if (frame[position] !== 0xff) return undefined;
    const marker = frame[position + 1];
    if (marker === 0xff) {
      position++;
      continue;
    }
    const length = (frame[position + 2] << 8) | frame[position + 3];
    if (SOF_MARKERS.has(marker)) {
      return { height: (frame[position + 5] << 8) | frame[position + 6], width: (frame[position + 7] << 8) | frame[position + 8] };
    }
    if (length < 2) return undefined;
    position += 2 + length;
  }
  return undefined;
}

function jpeg2000Size(frame: Uint8Array): DeclaredSize | undefined {
  // A codestream starts SOC (FF4F) then SIZ (FF51); a JP2 file wraps it in boxes, so look for the pair.
  const limit = Math.min(frame.length - 26, 4096);
  for (let i = 0; i < limit; i++) {
    if (frame[i] === 0xff && frame[i + 1] === 0x4f && frame[i + 2] === 0xff && frame[i + 3] === 0x51) {
      const view = new DataView(frame.buffer, frame.byteOffset + i + 4);
      const xSiz = view.getUint32(4);
      const ySiz = view.getUint32(8);
      const xOffset = view.getUint32(12);
      const yOffset = view.getUint32(16);
      return { width: xSiz - xOffset, height: ySiz - yOffset };
    }
  }
  return undefined;
}
