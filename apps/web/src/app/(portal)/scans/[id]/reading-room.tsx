'use client';

import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { callApi } from '../../../../graphql/browser';
import { graphql } from '../../../../graphql/graphql';
import { ReviewPanel, type ReadingFields } from '../../../../review/review-panel';
import { ScanViewer, type ViewerHotspot, type ViewerView } from '../../../../viewer/scan-viewer';

const SubmitReview = graphql(`
  mutation SubmitReview($input: SubmitReviewInput!) {
    submitReview(input: $input) {
      id
    }
  }
`);

/** The viewer beside the review form; a recorded review returns the reader to the worklist. */
export function ReadingRoom({
  scanId,
  views,
  predictionId,
  hasHeatMap,
  hotspots,
  showAi,
}: {
  scanId: string;
  views: ViewerView[];
  predictionId: string | null;
  hasHeatMap: boolean;
  hotspots: ViewerHotspot[];
  showAi: boolean;
}) {
  const router = useRouter();
  const send = useCallback((fields: ReadingFields) => callApi(SubmitReview, { input: { ...fields, scanId, aiVisible: showAi } }), [scanId, showAi]);
  const onSubmitted = useCallback(() => router.push(`/worklist?reviewed=${scanId}`), [router, scanId]);
  return (
    <div className="reading-room">
      <ScanViewer views={views} predictionId={predictionId} hasHeatMap={hasHeatMap} hotspots={hotspots} showAi={showAi} />
      <ReviewPanel draftId={`scan.${scanId}`} hotspots={hotspots} aiVisible={showAi} send={send} onSubmitted={onSubmitted} />
    </div>
  );
}
