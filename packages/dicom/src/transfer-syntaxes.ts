/**
 * The transfer syntaxes a whole-body bone scan may arrive in, by the short name the writer and benchmarks use.
 * `lossy` syntaxes give pixels close to, not equal to, the original.
 */
export const TRANSFER_SYNTAXES = {
  'implicit-le': { uid: '1.2.840.10008.1.2', encapsulated: false, lossy: false },
  'explicit-le': { uid: '1.2.840.10008.1.2.1', encapsulated: false, lossy: false },
  'explicit-be': { uid: '1.2.840.10008.1.2.2', encapsulated: false, lossy: false },
  deflated: { uid: '1.2.840.10008.1.2.1.99', encapsulated: false, lossy: false },
  rle: { uid: '1.2.840.10008.1.2.5', encapsulated: true, lossy: false },
  'jpeg-lossless': { uid: '1.2.840.10008.1.2.4.70', encapsulated: true, lossy: false },
  'jpeg-ls-lossless': { uid: '1.2.840.10008.1.2.4.80', encapsulated: true, lossy: false },
  'jpeg-ls-near-lossless': { uid: '1.2.840.10008.1.2.4.81', encapsulated: true, lossy: true },
  'jpeg2000-lossless': { uid: '1.2.840.10008.1.2.4.90', encapsulated: true, lossy: false },
  jpeg2000: { uid: '1.2.840.10008.1.2.4.91', encapsulated: true, lossy: true },
  'jpeg-baseline': { uid: '1.2.840.10008.1.2.4.50', encapsulated: true, lossy: true },
} as const;

export type TransferSyntaxName = keyof typeof TRANSFER_SYNTAXES;
export const TRANSFER_SYNTAX_NAMES = Object.keys(TRANSFER_SYNTAXES) as TransferSyntaxName[];

export function transferSyntaxByUid(uid: string): TransferSyntaxName | undefined {
  return TRANSFER_SYNTAX_NAMES.find((name) => TRANSFER_SYNTAXES[name].uid === uid);
}

/** JPEG Lossless process 14 (any selection value) shares the SV1 decoder. */
export const JPEG_LOSSLESS_PROCESS_14_UID = '1.2.840.10008.1.2.4.57';
