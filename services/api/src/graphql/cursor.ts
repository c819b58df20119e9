import { badInput, isUuid } from './errors';

/**
 * Opaque keyset cursors: the sort key of the last row seen, tagged with the sort it belongs to.
 * A cursor that does not decode, was made for another sort, or holds a value its key cannot take, is a client
 * error: a crafted cursor must not reach PostgreSQL, whose refusal would be a server error.
 */
export type CursorKey = 'number' | 'uuid' | 'timestamp';

/** PostgreSQL's text form of a timestamp without time zone, as the cursor carries it. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/;

/** A real calendar date and time: JavaScript's Date would roll 2024-02-31 over into March, so the parts must round-trip. */
function isTimestamp(value: string): boolean {
  const parts = TIMESTAMP.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

const fits: Record<CursorKey, (value: unknown) => boolean> = {
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  uuid: (value) => typeof value === 'string' && isUuid(value),
  timestamp: (value) => typeof value === 'string' && isTimestamp(value),
};

export function encodeCursor(sort: string, key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, shape: ReadonlyArray<CursorKey>): Array<string | number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('Cursor is malformed: pass an endCursor exactly as the API returned it', 'after');
  }
  const values: unknown[] = Array.isArray(parsed) ? parsed : [];
  const valid = values.length === shape.length + 1 && shape.every((key, i) => fits[key](values[i + 1]));
  if (!valid) throw badInput('Cursor is malformed: pass an endCursor exactly as the API returned it', 'after');
  if (values[0] !== sort) throw badInput(`Cursor was made for sort ${String(values[0])}, not ${sort}: restart from the first page`, 'after');
  return values.slice(1) as Array<string | number>;
}
