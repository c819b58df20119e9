import { Context, NativeCodecs, log as codecsLog } from 'dcmjs-codecs';
import { DicomError, describeThrown } from '../errors';
import type { TransferSyntaxName } from '../transfer-syntaxes';
import { bytesPerFrame, type FrameFormat } from './frame';
import { declaredFrameSize } from './frame-header';
import { compileCodecs, instantiateCodecs } from './codec-instance';

// The JPEG family (JPEG lossless/baseline via libjpeg, JPEG-LS via CharLS, JPEG 2000 via OpenJPEG) comes from
// dcmjs-codecs: one WebAssembly module built from the reference C/C++ codecs, with encoders as well as decoders.
// Compiling the module is asynchronous, so callers await loadCodecs() once at start-up; a decode that fails
// swaps in a fresh instance synchronously (codec-instance.ts).

codecsLog.setLevel('silent');

export type NativeSyntax = Exclude<TransferSyntaxName, 'implicit-le' | 'explicit-le' | 'explicit-be' | 'deflated' | 'rle'>;

const NATIVE = {
  'jpeg-lossless': { decode: 'decodeJpeg', encode: 'encodeJpeg', parameters: { lossy: false, predictor: 1 } },
  'jpeg-baseline': { decode: 'decodeJpeg', encode: 'encodeJpeg', parameters: { lossy: true, quality: 95 } },
  'jpeg-ls-lossless': { decode: 'decodeJpegLs', encode: 'encodeJpegLs', parameters: { lossy: false } },
  'jpeg-ls-near-lossless': { decode: 'decodeJpegLs', encode: 'encodeJpegLs', parameters: { lossy: true, allowedLossyError: 2 } },
  'jpeg2000-lossless': { decode: 'decodeJpeg2000', encode: 'encodeJpeg2000', parameters: { lossy: false } },
  jpeg2000: { decode: 'decodeJpeg2000', encode: 'encodeJpeg2000', parameters: { lossy: true, rate: 5 } },
} as const satisfies Record<NativeSyntax, { decode: keyof typeof NativeCodecs; encode: keyof typeof NativeCodecs; parameters: object }>;

let loading: Promise<void> | undefined;

/** Compiles and instantiates the WebAssembly codecs; safe and cheap to call many times. Needed before reading or writing a JPEG-family syntax. */
export function loadCodecs(): Promise<void> {
  loading ??= compileCodecs().then(instantiateCodecs);
  return loading;
}

export function codecsLoaded(): boolean {
  return NativeCodecs.isInitialized();
}

export function isNativeSyntax(syntax: TransferSyntaxName): syntax is NativeSyntax {
  return syntax in NATIVE;
}

function requireCodecs(): void {
  if (!codecsLoaded()) throw new Error('JPEG-family codecs are not loaded: await loadCodecs() once before reading or writing compressed scans');
}

function context(format: FrameFormat, buffers: { encodedBuffer?: Uint8Array; decodedBuffer?: Uint8Array }): Context {
  return new Context({
    width: format.width,
    height: format.height,
    bitsAllocated: format.bitsAllocated,
    bitsStored: format.bitsStored,
    samplesPerPixel: 1,
    pixelRepresentation: format.signed ? 1 : 0,
    planarConfiguration: 0,
    photometricInterpretation: 'MONOCHROME2',
    ...buffers,
  });
}

/** Decodes one compressed frame to little-endian samples, after checking its own header agrees with the DICOM matrix. */
export function decodeNativeFrame(syntax: NativeSyntax, encoded: Uint8Array, format: FrameFormat): Uint8Array {
  requireCodecs();
  // The codec allocates whatever its own header declares; refuse a mismatch before handing it the bytes.
  const declared = declaredFrameSize(syntax, encoded);
  if (!declared) throw new DicomError('CORRUPT_PIXEL_DATA', `${syntax} frame has no readable image header`);
  if (declared.width !== format.width || declared.height !== format.height) {
    throw new DicomError(
      'CORRUPT_PIXEL_DATA',
      `${syntax} frame is ${declared.width}×${declared.height} but the object declares ${format.width}×${format.height}`,
    );
  }
  let decoded: Uint8Array | undefined;
  try {
    decoded = NativeCodecs[NATIVE[syntax].decode](context(format, { encodedBuffer: encoded })).getDecodedBuffer();
  } catch (thrown) {
    instantiateCodecs(); // the failed instance is unsound (codec-instance.ts)
    throw new DicomError('CORRUPT_PIXEL_DATA', `${syntax} frame could not be decoded: ${describeThrown(thrown)}`);
  }
  if (!decoded || decoded.length < bytesPerFrame(format)) {
    throw new DicomError('CORRUPT_PIXEL_DATA', `${syntax} frame decoded to ${decoded?.length ?? 0} of ${bytesPerFrame(format)} bytes`);
  }
  return decoded.subarray(0, bytesPerFrame(format));
}

export function encodeNativeFrame(syntax: NativeSyntax, raw: Uint8Array, format: FrameFormat): Uint8Array {
  requireCodecs();
  const encoded = NativeCodecs[NATIVE[syntax].encode](context(format, { decodedBuffer: raw }), NATIVE[syntax].parameters).getEncodedBuffer();
  if (!encoded) throw new Error(`${syntax} encoder returned nothing`);
  return encoded;
}
