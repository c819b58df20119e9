import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The portal signs users in through the API from its own address, so it states the address it saw the
 * browser at. The statement travels in this header, signed with the session secret the two already share:
 * the API believes it only when the signature holds, and never believes X-Forwarded-For, which anyone can send.
 */
export const PORTAL_CLIENT_ADDRESS_HEADER = 'x-bonescan-client-address';

/** A statement older than this is refused: a captured one cannot be replayed for long. */
const STATEMENT_LIFETIME_MS = 60_000;

const signature = (secret: string, address: string, issuedAt: number): string =>
  createHmac('sha256', secret).update(`portal client address\n${address}\n${issuedAt}`).digest('base64url');

/** The header value by which the portal states the browser's address. */
export function statePortalClientAddress(secret: string, address: string, now = Date.now()): string {
  return `${encodeURIComponent(address)};${now};${signature(secret, address, now)}`;
}

/** The address a portal statement names when its signature holds and it is fresh; undefined otherwise. */
export function readPortalClientAddress(secret: string, statement: string | undefined, now = Date.now()): string | undefined {
  const [encoded, issued, signed] = (statement ?? '').split(';');
  const issuedAt = Number(issued);
  if (!encoded || !signed || !Number.isSafeInteger(issuedAt) || Math.abs(now - issuedAt) > STATEMENT_LIFETIME_MS) return undefined;
  let address: string;
  try {
    address = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  const expected = Buffer.from(signature(secret, address, issuedAt));
  const given = Buffer.from(signed);
  return given.length === expected.length && timingSafeEqual(given, expected) ? address : undefined;
}
