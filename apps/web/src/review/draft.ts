import type { HotspotReason, Verdict } from '@bonescan/clinical';

/** A review being written. Kept in localStorage so a lapsed session or a reload loses nothing. */
export interface ReviewDraft {
  /** Sent with the submit: the API records one review per key, however often it is sent. */
  submissionKey: string;
  /** When the reader opened the scan (epoch ms), for time-to-verdict. */
  openedAt: number;
  verdict: Verdict | null;
  confidence: number | null;
  comment: string;
  reasons: Record<number, HotspotReason>;
  /** Submit was pressed but not confirmed by the API (e.g. the session had expired). */
  pending: boolean;
}

const keyOf = (draftId: string) => `bonescan.review-draft.${draftId}`;

export function loadDraft(draftId: string): ReviewDraft {
  const stored = window.localStorage.getItem(keyOf(draftId));
  if (stored) {
    try {
      return JSON.parse(stored) as ReviewDraft;
    } catch {
      // A damaged draft is dropped: the reader starts afresh rather than being stuck.
    }
  }
  return { submissionKey: newSubmissionKey(), openedAt: Date.now(), verdict: null, confidence: null, comment: '', reasons: {}, pending: false };
}

export const saveDraft = (draftId: string, draft: ReviewDraft) => window.localStorage.setItem(keyOf(draftId), JSON.stringify(draft));
export const discardDraft = (draftId: string) => window.localStorage.removeItem(keyOf(draftId));

/** A v4 UUID; crypto.randomUUID exists only on https or localhost, the portal may run on plain http. */
function newSubmissionKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
