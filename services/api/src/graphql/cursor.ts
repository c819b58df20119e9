import { badInput } from './errors';

/**
 * Opaque keyset cursors: the sort key of the last row seen, tagged with the sort it belongs to.
 * A cursor that does not decode, or was made for another sort, is a client error.
 */
export function encodeCursor(sort: string, key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, shape: ReadonlyArray<'string' | 'number'>): Array<string | number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('Cursor is malformed: pass an endCursor exactly as the API returned it', 'after');
  }
  const values: unknown[] = Array.isArray(parsed) ? parsed : [];
  const valid =
    values.length === shape.length + 1 && shape.every((type, i) => typeof values[i + 1] === type && (type !== 'number' || Number.isFinite(values[i + 1])));
  if (!valid) throw badInput('Cursor is malformed: pass an endCursor exactly as the API returned it', 'after');
  if (values[0] !== sort) throw badInput(`Cursor was made for sort ${String(values[0])}, not ${sort}: restart from the first page`, 'after');
  return values.slice(1) as Array<string | number>;
}
