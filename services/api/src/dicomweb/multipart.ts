import { randomBytes } from 'node:crypto';

/** A bad multipart request: answered with HTTP 400/415 and this message. */
export class MultipartError extends Error {
  constructor(
    readonly status: 400 | 415,
    message: string,
  ) {
    super(message);
  }
}

export interface BodyPart {
  contentType: string;
  body: Buffer;
}

/** Media type and parameters of a Content-Type header, parameter names lower-cased, quotes removed. */
export function parseContentType(header: string | undefined): { mediaType: string; parameters: Record<string, string> } {
  const [mediaType, ...rest] = (header ?? '').split(';');
  const parameters: Record<string, string> = {};
  for (const parameter of rest) {
    const eq = parameter.indexOf('=');
    if (eq > 0)
      parameters[parameter.slice(0, eq).trim().toLowerCase()] = parameter
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return { mediaType: mediaType.trim().toLowerCase(), parameters };
}

/**
 * Splits a multipart/related body (RFC 2387, as STOW-RS sends it) into its parts. Works on bytes: DICOM
 * parts are binary, so the body is never decoded as text.
 */
export function splitMultipart(body: Buffer, boundary: string): BodyPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: BodyPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw new MultipartError(400, `multipart body has no "--${boundary}" delimiter: check the boundary parameter of Content-Type`);
  for (;;) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString('latin1') === '--') return parts;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next < 0) throw new MultipartError(400, 'multipart body ends without its closing delimiter: the request was cut short');
    parts.push(readPart(body.subarray(skipLineBreak(body, afterDelimiter), stripLineBreak(body, next))));
    start = next;
  }
}

function skipLineBreak(body: Buffer, at: number): number {
  return body[at] === 0x0d && body[at + 1] === 0x0a ? at + 2 : at;
}

/** The CRLF before a delimiter belongs to the delimiter, not to the part. */
function stripLineBreak(body: Buffer, at: number): number {
  return body[at - 2] === 0x0d && body[at - 1] === 0x0a ? at - 2 : at;
}

function readPart(part: Buffer): BodyPart {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd < 0) throw new MultipartError(400, 'a multipart part has no header block (blank line missing)');
  const headers = part.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const contentType =
    headers
      .find((line) => /^content-type\s*:/i.test(line))
      ?.replace(/^content-type\s*:/i, '')
      .trim() ?? '';
  return { contentType, body: part.subarray(headerEnd + 4) };
}

/** Builds a multipart/related body of DICOM objects for WADO-RS. */
export function joinMultipart(parts: Uint8Array[], contentType: string): { boundary: string; body: Buffer } {
  const boundary = `bonescan-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${contentType}\r\n\r\n`, 'latin1'),
      Buffer.from(part.buffer, part.byteOffset, part.byteLength),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return { boundary, body: Buffer.concat(chunks) };
}
