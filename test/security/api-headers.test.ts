import { startTestApi, type TestApi } from '@bonescan/api/src/testing/test-api';

describe('security headers of the API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it.each([
    [
      'a GraphQL answer',
      () => fetch(`${api.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { id } }"}' }),
    ],
    [
      'a refused credential',
      () =>
        fetch(`${api.app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer nonsense' },
          body: '{"query":"{ me { id } }"}',
        }),
    ],
    ['the health check', () => fetch(`${api.app.url}/healthz`)],
  ])('%s: no sniffing, no framing, no referrer', async (_case, send) => {
    const response = await send();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
