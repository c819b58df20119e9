import { forwardToApi } from '../../../api/forward';

export async function POST(request: Request): Promise<Response> {
  return forwardToApi('/graphql', { method: 'POST', body: await request.text() });
}
