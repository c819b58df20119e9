import { forwardToApi } from '../../../api/forward';

/**
 * The browser's GraphQL, passed on with the reader's session. Only JSON: a form on another site can post
 * text/plain or form data without the browser asking first, never application/json (the proxy also refuses
 * any change that does not come from a portal page).
 */
export async function POST(request: Request): Promise<Response> {
  const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    return Response.json(
      { errors: [{ message: 'Send GraphQL requests as application/json', extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] },
      { status: 415 },
    );
  }
  return forwardToApi('/graphql', { method: 'POST', body: await request.text() });
}
