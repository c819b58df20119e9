export { DicomError, isDicomError, type DicomErrorCode } from './errors';
export type { BoneScanObject, PatientDetails, StudyDetails, ViewImage } from './types';
export { TRANSFER_SYNTAXES, TRANSFER_SYNTAX_NAMES, transferSyntaxByUid, type TransferSyntaxName } from './transfer-syntaxes';
export { loadCodecs, codecsLoaded } from './codecs/native';
export { readBoneScan, readBoneScanAsync, SOP_CLASSES } from './read/read-bone-scan';
export { MAX_FRAMES, MAX_MATRIX_DIMENSION } from './read/limits';
export { pairViews, type PairedViews } from './pair-views';
export { writeBoneScan, type ScanToWrite, type WriteOptions } from './write/write-bone-scan';
export { newUid, uidFromText } from './write/uids';
// Fixtures for ingest tests (C-STORE, STOW-RS, import): real objects each ingest path must refuse.
export { badBoneScanObjects, smallTestViews, type BadObject } from './testing/bad-objects';
