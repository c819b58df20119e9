import { forwardToApi } from '../../../../../api/forward';

/** A reader-study case's image id is `<case id>.<view>`; it has a route of its own so it never names the scan view. */
const STUDY_CASE_VIEW = /^[0-9a-f-]{36}\.(AP|PA)$/i;

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const route = STUDY_CASE_VIEW.test(id) ? 'reader-study-case-views' : 'views';
  return forwardToApi(`/${route}/${encodeURIComponent(id)}/pixels`, { method: 'GET' });
}
