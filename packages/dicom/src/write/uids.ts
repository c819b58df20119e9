import { createHash, randomBytes } from 'node:crypto';

/** A UID under the 2.25 root (ISO/IEC 9834-8: a 128-bit number in decimal), random. */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`)}`;
}

/** The same 2.25 UID every time for the same text, so a seeded phantom set is byte-for-byte reproducible. */
export function uidFromText(text: string): string {
  return `2.25.${BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 32)}`)}`;
}
