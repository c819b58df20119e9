/** Why a DICOM object was refused. Ingest paths map each code to their own answer (C-STORE status, HTTP 4xx, CLI message). */
export type DicomErrorCode =
  | 'NOT_DICOM'
  | 'TRUNCATED'
  | 'NO_PIXEL_DATA'
  | 'UNSUPPORTED_MODALITY'
  | 'UNSUPPORTED_TRANSFER_SYNTAX'
  | 'MATRIX_TOO_LARGE'
  | 'CORRUPT_PIXEL_DATA'
  | 'MISSING_VIEW'
  | 'PATIENT_MISMATCH'
  | 'INVALID';

export class DicomError extends Error {
  override name = 'DicomError';
  constructor(
    readonly code: DicomErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isDicomError(error: unknown): error is DicomError {
  return error instanceof DicomError;
}

/** Text of whatever a third-party parser threw (dicom-parser throws strings and `{ exception }` objects). */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (thrown && typeof thrown === 'object' && 'exception' in thrown) return describeThrown((thrown as { exception: unknown }).exception);
  return String(thrown);
}
