'use client';

import { useCallback } from 'react';
import { ApiBanner } from '../../../../components/api-banner';
import { useQuery } from '../../../../components/use-api';
import { callApi } from '../../../../graphql/browser';
import { graphql } from '../../../../graphql/graphql';
import { ReviewPanel, type ReadingFields } from '../../../../review/review-panel';
import { ScanViewer } from '../../../../viewer/scan-viewer';

const ReaderStudyQueue = graphql(`
  query ReaderStudyQueue($id: ID!) {
    readerStudyQueue(id: $id) {
      study {
        id
        name
        mode
        status
      }
      done
      total
      cases {
        caseId
        order
        reading {
          id
        }
        views {
          id
          view
          width
          height
        }
        prediction {
          id
          probability
          label
          hotspots {
            view
            x
            y
            intensity
            region
          }
        }
      }
    }
  }
`);
const SubmitReaderStudyReading = graphql(`
  mutation SubmitReaderStudyReading($input: ReaderStudyReadingInput!) {
    submitReaderStudyReading(input: $input) {
      id
    }
  }
`);

/** One reader's pass through a study: their own order, no patient identifiers, the AI only when aided. */
export function StudyReading({ studyId }: { studyId: string }) {
  const { data, error, reload } = useQuery(ReaderStudyQueue, { id: studyId });
  const current = data?.readerStudyQueue.cases.find((studyCase) => !studyCase.reading);
  const caseId = current?.caseId;
  const send = useCallback((fields: ReadingFields) => callApi(SubmitReaderStudyReading, { input: { ...fields, caseId: caseId! } }), [caseId]);

  if (error) return <ApiBanner error={error} />;
  if (!data) return <p aria-live="polite">Loading study…</p>;
  const { study, done, total } = data.readerStudyQueue;
  return (
    <section aria-labelledby="study-title" className="reading">
      <div className="toolbar">
        <h1 id="study-title">{study.name}</h1>
        <span className="badge">{study.mode === 'BLINDED' ? 'Blinded: AI hidden' : 'Aided: AI shown'}</span>
        <progress max={total} value={done} aria-label="Cases read" />
        <span data-testid="study-progress">
          {done} of {total} read
        </span>
      </div>
      {!current ? (
        <p className="empty" role="status">
          All {total} cases read. Thank you.
        </p>
      ) : (
        <>
          <h2>Case {current.order}</h2>
          {/* Keyed by case: the next case starts with a fresh viewer, window and draft. */}
          <div className="reading-room" key={current.caseId}>
            <ScanViewer
              views={current.views}
              predictionId={current.prediction?.id ?? null}
              hasHeatMap={current.prediction !== null}
              hotspots={current.prediction?.hotspots ?? []}
              showAi={current.prediction !== null}
            />
            <ReviewPanel
              draftId={`study-case.${current.caseId}`}
              hotspots={current.prediction?.hotspots ?? []}
              aiVisible={current.prediction !== null}
              send={send}
              onSubmitted={reload}
            />
          </div>
        </>
      )}
    </section>
  );
}
