import { forwardToApi } from '../../../../../api/forward';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return forwardToApi(`/views/${encodeURIComponent(id)}/pixels`, { method: 'GET' });
}
