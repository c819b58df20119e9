import * as zlib from 'node:zlib';
import { parseDicom, readPart10Header, type DataSet } from 'dicom-parser';
import { DicomError, describeThrown } from '../errors';
import { JPEG_LOSSLESS_PROCESS_14_UID, TRANSFER_SYNTAXES, transferSyntaxByUid, type TransferSyntaxName } from '../transfer-syntaxes';
import { MAX_INFLATED_BYTES } from './limits';

export interface ParsedObject {
  dataSet: DataSet;
  transferSyntaxUid: string;
  transferSyntax: TransferSyntaxName;
}

const PREAMBLE_BYTES = 128;

/** Parses a DICOM Part 10 byte stream with dicom-parser (zero-copy: pixel data stays a view on `bytes`). */
export function parseObject(bytes: Uint8Array): ParsedObject {
  if (bytes.length < PREAMBLE_BYTES + 4 || String.fromCharCode(...bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + 4)) !== 'DICM') {
    throw new DicomError('NOT_DICOM', `not a DICOM Part 10 file: no "DICM" marker at byte 128 (${bytes.length} bytes received)`);
  }
  const transferSyntaxUid = readTransferSyntaxUid(bytes);
  const transferSyntax = transferSyntaxUid === JPEG_LOSSLESS_PROCESS_14_UID ? 'jpeg-lossless' : transferSyntaxByUid(transferSyntaxUid);
  if (!transferSyntax) {
    throw new DicomError(
      'UNSUPPORTED_TRANSFER_SYNTAX',
      `transfer syntax ${transferSyntaxUid} is not supported; supported: ${Object.values(TRANSFER_SYNTAXES)
        .map((s) => s.uid)
        .join(', ')}`,
    );
  }
  let dataSet: DataSet;
  try {
    dataSet = parseDicom(bytes, { inflater: inflate } as never);
  } catch (thrown) {
    throw parserFailure(thrown);
  }
  assertElementsWithinFile(dataSet);
  return { dataSet, transferSyntaxUid, transferSyntax };
}

function readTransferSyntaxUid(bytes: Uint8Array): string {
  let uid: string | undefined;
  try {
    uid = readPart10Header(bytes).string('x00020010');
  } catch (thrown) {
    throw parserFailure(thrown);
  }
  if (!uid) throw new DicomError('INVALID', 'file meta information has no Transfer Syntax UID (0002,0010)');
  return uid.replace(/\0/g, '').trim();
}

/** dicom-parser's inflater hook: header bytes as they are, the deflated dataset inflated behind them, bounded. */
function inflate(bytes: Uint8Array, position: number): Uint8Array {
  let inflated: Buffer;
  try {
    inflated = zlib.inflateRawSync(bytes.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (thrown) {
    throw new DicomError('INVALID', `deflated dataset could not be inflated: ${describeThrown(thrown)}`);
  }
  const full = Buffer.allocUnsafe(position + inflated.length);
  full.set(bytes.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

function parserFailure(thrown: unknown): DicomError {
  const inner = thrown && typeof thrown === 'object' && 'exception' in thrown ? (thrown as { exception: unknown }).exception : thrown;
  if (inner instanceof DicomError) return inner;
  const message = describeThrown(inner);
  if (/past end|overread|overrun|end of buffer|cannot be greater than or equal|not found|eof/i.test(message)) {
    return new DicomError('TRUNCATED', `file ends inside a data element: ${message}`);
  }
  return new DicomError('INVALID', `malformed DICOM dataset: ${message}`);
}

/** dicom-parser does not check that a defined element length fits in the file; a cut file shows up here. */
function assertElementsWithinFile(dataSet: DataSet): void {
  const size = dataSet.byteArray.length;
  for (const element of Object.values(dataSet.elements)) {
    if (element.dataOffset + element.length > size) {
      throw new DicomError(
        'TRUNCATED',
        `element (${element.tag.slice(1, 5)},${element.tag.slice(5)}) needs ${element.length} bytes at offset ${element.dataOffset} but the file ends at ${size}`,
      );
    }
  }
}
