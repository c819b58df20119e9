import { forwardToApi } from '../../../../../../api/forward';

/** One view's heat map (AP or PA); the API checks the view name and answers a wrong one itself. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; view: string }> }): Promise<Response> {
  const { id, view } = await params;
  return forwardToApi(`/predictions/${encodeURIComponent(id)}/heatmap/${encodeURIComponent(view)}`, { method: 'GET' });
}
