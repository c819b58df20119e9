import { isIP } from 'node:net';
import { z } from 'zod';

/** A sender the C-STORE SCP accepts: its calling AE title, from one address or (host `*`) from any. */
export interface DicomCaller {
  aeTitle: string;
  host: string;
}

const CALLER = /^([^\\@\s][^\\@]{0,15})@(\S+)$/;

/**
 * DICOM_ALLOWED_CALLERS: `AE@address` entries separated by commas, e.g. `PACS1@10.0.0.5,MODALITY2@*`. Addresses,
 * not host names: the SCP compares them with the connection's peer, and a name would make a DNS answer the key.
 */
export const dicomAllowedCallers = z
  .string()
  .default('')
  .transform((text, context): DicomCaller[] => {
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    return entries.flatMap((entry) => {
      const match = CALLER.exec(entry);
      if (!match || (match[2] !== '*' && isIP(match[2]) === 0)) {
        context.addIssue({ code: 'custom', message: `"${entry}" is not AE_TITLE@address (an IP address or *), e.g. PACS1@10.0.0.5` });
        return [];
      }
      return [{ aeTitle: match[1].trim(), host: match[2] }];
    });
  });

/** Whether an association from `peerAddress` calling as `aeTitle` is on the list (an empty list admits everyone). */
export function isAllowedCaller(callers: readonly DicomCaller[], aeTitle: string, peerAddress: string | undefined): boolean {
  if (callers.length === 0) return true;
  // An IPv4 peer on a dual-stack socket shows as ::ffff:10.0.0.5.
  const peer = peerAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return callers.some((caller) => caller.aeTitle === aeTitle && (caller.host === '*' || caller.host === peer));
}
