import { forwardToApi } from '../../../../../../api/forward';

/** A reader-study case's AI result id is `<case id>.AI`; its heat maps have a route of their own so they never name the prediction. */
const STUDY_CASE_PREDICTION = /^[0-9a-f-]{36}\.AI$/i;

/** One view's heat map (AP or PA); the API checks the view name and answers a wrong one itself. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; view: string }> }): Promise<Response> {
  const { id, view } = await params;
  const path = STUDY_CASE_PREDICTION.test(id) ? `/reader-study-case-heatmaps/${encodeURIComponent(id)}` : `/predictions/${encodeURIComponent(id)}/heatmap`;
  return forwardToApi(`${path}/${encodeURIComponent(view)}`, { method: 'GET' });
}
