'use client';

import { HOTSPOT_REASONS, VERDICTS, type HotspotReason, type Verdict } from '@bonescan/clinical';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiBanner } from '../components/api-banner';
import { ApiError } from '../graphql/request';
import type { ViewerHotspot } from '../viewer/scan-viewer';
import { discardDraft, loadDraft, saveDraft, type ReviewDraft } from './draft';

const VERDICT_LABELS: Record<Verdict, string> = { MBD: 'MBD (m)', NO_MBD: 'No MBD (n)', EQUIVOCAL: 'Equivocal (e)' };
const VERDICT_KEYS: Record<string, Verdict> = { m: 'MBD', n: 'NO_MBD', e: 'EQUIVOCAL' };

/**
 * The reader's verdict. Everything typed is kept as a draft in the browser; Ctrl+Enter submits; a
 * submit interrupted by an expired session is sent again automatically once the reader is back.
 */
/** What the API needs from any reading, routine or in a reader study. */
export interface ReadingFields {
  verdict: Verdict;
  confidence: number;
  comment: string | null;
  hotspotAssessments: Array<{ hotspotIndex: number; reason: HotspotReason }>;
  timeSpentMs: number;
  submissionKey: string;
}

interface ReviewPanelProps {
  /** Which draft this is (a scan, or a reader-study case). */
  draftId: string;
  hotspots: ViewerHotspot[];
  aiVisible: boolean;
  /** Records the reading through the API; resolves once it is stored. */
  send: (fields: ReadingFields) => Promise<unknown>;
  onSubmitted: () => void;
}

export function ReviewPanel({ draftId, hotspots, aiVisible, send, onSubmitted }: ReviewPanelProps) {
  const [draft, setDraft] = useState<ReviewDraft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState('');
  const [sending, setSending] = useState(false);
  const inFlight = useRef(false);

  const update = useCallback(
    (change: Partial<ReviewDraft>) =>
      setDraft((current) => {
        if (!current) return current;
        const next = { ...current, ...change };
        saveDraft(draftId, next);
        return next;
      }),
    [draftId],
  );

  const submit = useCallback(
    async (toSend: ReviewDraft) => {
      if (!toSend.verdict || !toSend.confidence) {
        setProblem('Choose a verdict and a confidence from 1 to 5 before submitting.');
        return;
      }
      if (inFlight.current) return; // a second press while the first is on its way
      inFlight.current = true;
      setSending(true);
      setProblem('');
      const pending = { ...toSend, pending: true };
      saveDraft(draftId, pending);
      try {
        await send({
          verdict: toSend.verdict,
          confidence: toSend.confidence,
          comment: toSend.comment.trim() || null,
          hotspotAssessments: Object.entries(toSend.reasons).map(([index, reason]) => ({ hotspotIndex: Number(index), reason })),
          timeSpentMs: Math.max(0, Math.round(Date.now() - toSend.openedAt)),
          submissionKey: toSend.submissionKey,
        });
        discardDraft(draftId);
        onSubmitted();
      } catch (caught) {
        setDraft(pending);
        setError(caught instanceof ApiError ? caught : new ApiError('INTERNAL', String(caught)));
      } finally {
        inFlight.current = false;
        setSending(false);
      }
    },
    [draftId, send, onSubmitted],
  );

  useEffect(() => {
    const restored = loadDraft(draftId);
    saveDraft(draftId, restored);
    setDraft(restored);
    if (restored.pending) void submit(restored);
  }, [draftId, submit]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!draft) return;
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void submit(draft);
        return;
      }
      if (event.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) && event.target.getAttribute('type') !== 'radio')
        return;
      if (VERDICT_KEYS[event.key]) update({ verdict: VERDICT_KEYS[event.key] });
      else if (/^[1-5]$/.test(event.key)) update({ confidence: Number(event.key) });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [draft, submit, update]);

  if (!draft) return null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(draft);
  };

  return (
    <form className="card review-panel" aria-labelledby="review-title" onSubmit={onSubmit}>
      <h2 id="review-title">Your review</h2>
      {draft.pending && !sending && error && <p className="muted">This review is kept in this browser and will be submitted when you are signed in again.</p>}
      <fieldset>
        <legend>Verdict</legend>
        {VERDICTS.map((verdict) => (
          <label key={verdict} className="choice">
            <input type="radio" name="verdict" value={verdict} checked={draft.verdict === verdict} onChange={() => update({ verdict })} />
            {VERDICT_LABELS[verdict]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Confidence (1 unsure – 5 certain)</legend>
        {[1, 2, 3, 4, 5].map((level) => (
          <label key={level} className="choice">
            <input type="radio" name="confidence" value={level} checked={draft.confidence === level} onChange={() => update({ confidence: level })} />
            {level}
          </label>
        ))}
      </fieldset>
      {aiVisible && hotspots.length > 0 && (
        <fieldset>
          <legend>Hotspots the AI pointed at (optional)</legend>
          {hotspots.map((hotspot, index) => (
            <label key={index} className="stacked">
              {index + 1}. {hotspot.region.toLowerCase().replace(/_/g, ' ')} ({hotspot.view})
              <select value={draft.reasons[index] ?? ''} onChange={(event) => update({ reasons: withReason(draft.reasons, index, event.target.value) })}>
                <option value="">no reason given</option>
                {HOTSPOT_REASONS.map((reason) => (
                  <option key={reason} value={reason}>
                    {reason.toLowerCase().replace('_', ' ')}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
      )}
      <label htmlFor="review-comment">Comment</label>
      <textarea id="review-comment" rows={3} value={draft.comment} onChange={(event) => update({ comment: event.target.value })} />
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {error && <ApiBanner error={error} />}
      <button type="submit" className="primary" disabled={sending}>
        {sending ? 'Submitting…' : 'Submit review (Ctrl+Enter)'}
      </button>
    </form>
  );
}

function withReason(reasons: Record<number, HotspotReason>, index: number, value: string): Record<number, HotspotReason> {
  const next = { ...reasons };
  if (value) next[index] = value as HotspotReason;
  else delete next[index];
  return next;
}
