import { Context, NativeCodecs, log as codecsLog } from 'dcmjs-codecs';
import { DicomError, describeThrown } from '../errors';
import type { TransferSyntaxName } from '../transfer-syntaxes';
import { bytesPerFrame, type FrameFormat } from './frame';
import { declaredFrameSize } from './frame-header';

// The JPEG family (JPEG lossless/baseline via libjpeg, JPEG-LS via CharLS, JPEG 2000 via OpenJPEG) comes from
// dcmjs-codecs: one WebAssembly module built from the reference C/C++ codecs, with encoders as well as decoders.
// WebAssembly instantiation is asynchronous, so callers await loadCodecs() before reading: once at start-up,
// and again after a frame the codec refused (see discardCodecs).

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

/**
 * Instantiates the WebAssembly codecs; safe and cheap to call many times. Needed before reading or writing a
 * JPEG-family syntax, and again after a decode failed, which drops the instance.
 */
export function loadCodecs(): Promise<void> {
  loading ??= NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false });
  return loading;
}

/**
 * A codec reports a corrupt stream by calling back into JavaScript, which throws through the C++ frames and skips
 * their clean-up: what the decoder held stays allocated and its heap may be left inconsistent. Seen here: after
 * 10,000 mutated objects the module held 1.9 GB and a valid frame's encode trapped out of bounds. So the instance
 * that failed is dropped and the next loadCodecs() starts a clean one (about 35 ms), rather than letting one bad
 * object poison every later scan in the process.
 */
function discardCodecs(): void {
  NativeCodecs.release();
  loading = undefined;
}

export function codecsLoaded(): boolean {
  return NativeCodecs.isInitialized();
}

export function isNativeSyntax(syntax: TransferSyntaxName): syntax is NativeSyntax {
  return syntax in NATIVE;
}

function requireCodecs(): void {
  if (!codecsLoaded()) throw new Error('JPEG-family codecs are not loaded: await loadCodecs() before reading or writing compressed scans (again after a frame failed to decode)');
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
    throw new DicomError('CORRUPT_PIXEL_DATA', `${syntax} frame is ${declared.width}×${declared.height} but the object declares ${format.width}×${format.height}`);
  }
  let decoded: Uint8Array | undefined;
  try {
    decoded = NativeCodecs[NATIVE[syntax].decode](context(format, { encodedBuffer: encoded })).getDecodedBuffer();
  } catch (thrown) {
    discardCodecs();
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
