/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in Chromium, on its DOM.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode } from 'next-auth/jwt';
import { sessionSecret } from '@bonescan/config';
import type { Page } from 'playwright-core';
import { newPage, signIn, startPortalStack, type PortalStack } from './portal-stack';

let stack: PortalStack;
let attacker: { url: string; serve(path: string, html: string): string; close(): Promise<void> };

/** Another web site on the same machine: a different port of 127.0.0.1, so the same *site* as the portal to a browser. */
async function startAttackerSite(): Promise<typeof attacker> {
  const pages = new Map<string, string>();
  const server = http.createServer((request, response) => {
    const html = pages.get(request.url ?? '');
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serve(path, html) {
      pages.set(path, html);
      return `${url}${path}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  stack = await startPortalStack();
  attacker = await startAttackerSite();
}, 600_000);

afterAll(async () => {
  await attacker?.close();
  await stack?.close();
});

const countReviews = async (scanId: string): Promise<number> =>
  Number((await stack.api.db.dataSource.query(`SELECT count(*) AS n FROM reviews WHERE scan_id = $1`, [scanId]))[0].n);

const sessionCookie = async (page: Page) => (await page.context().cookies()).find((cookie) => cookie.name.endsWith('next-auth.session-token'));

async function signedIn(email: string): Promise<Page> {
  const page = await newPage(stack);
  await signIn(page, email);
  await page.waitForURL('**/worklist');
  return page;
}

describe('the portal against another site', () => {
  it('records nothing from a text/plain form another site posts to its GraphQL with the signed-in clinician’s cookie', async () => {
    const page = await signedIn(stack.users.clinician.email);
    const scanId = stack.day.negatives[0];
    // The form's text/plain body reads `<name>=<value>`: name and value together make the JSON of a verdict.
    const mutation = `mutation { submitReview(input: { scanId: "${scanId}", verdict: MBD, confidence: 5, aiVisible: true, timeSpentMs: 1 }) { id } }`;
    const name = `${JSON.stringify({ query: mutation, padding: '' }).slice(0, -2)}`;
    const forgery = attacker.serve(
      '/forged-verdict.html',
      `<form method="post" enctype="text/plain" action="${stack.portal.url}/api/graphql"><input type="hidden" name='${name}' value='"}'></form>
       <script>document.forms[0].submit()</script>`,
    );
    const answer = page.waitForResponse(`${stack.portal.url}/api/graphql`);
    await page.goto(forgery);
    expect((await answer).status()).toBe(403);
    expect(await countReviews(scanId)).toBe(0);
    await page.context().close();
  });

  it('cannot be framed by another site: Chromium refuses to show the portal in its frame', async () => {
    const page = await newPage(stack);
    const refusals: string[] = [];
    page.on('console', (message) => refusals.push(message.text()));
    await page.goto(attacker.serve('/framing.html', `<iframe src="${stack.portal.url}/signin" width="800" height="600"></iframe>`));
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    expect(frame).toBeDefined();
    await expect(frame!.locator('#email').count()).resolves.toBe(0);
    expect(refusals.join('\n')).toMatch(/violates the following Content Security Policy directive: "frame-ancestors 'none'"/);
    await page.context().close();
  });
});

describe('after sign-in the reader stays on the portal', () => {
  it.each([
    ['/%5Cevil.example/x'],
    [encodeURIComponent('//evil.example/x')],
    [encodeURIComponent('https://evil.example/x')],
    [encodeURIComponent('/\\\\evil.example/x')],
    [encodeURIComponent('/.//evil.example/x')],
  ])('callbackUrl=%s ends on the worklist of the portal', async (callbackUrl) => {
    const page = await newPage(stack);
    await page.goto(`/signin?callbackUrl=${callbackUrl}`);
    await signIn(page, stack.users.lead.email);
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { waitUntil: 'commit', timeout: 20_000 }).catch(() => undefined);
    const landed = new URL(page.url());
    expect(landed.origin).toBe(stack.portal.url);
    expect(landed.pathname).toBe('/worklist');
    await page.context().close();
  });
});

describe('security headers of the portal', () => {
  const nonceOf = (policy: string | null) => /script-src 'self' 'nonce-([^']+)'/.exec(policy ?? '')?.[1];

  it('pages carry a Content Security Policy whose nonce is new on every response and marks the page’s own scripts', async () => {
    const [first, second] = await Promise.all([fetch(`${stack.portal.url}/signin`), fetch(`${stack.portal.url}/signin`)]);
    const [nonce, otherNonce] = [nonceOf(first.headers.get('content-security-policy')), nonceOf(second.headers.get('content-security-policy'))];
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
    expect(otherNonce).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
    expect(nonce).not.toBe(otherNonce);
    const policy = first.headers.get('content-security-policy')!;
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-eval');
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  });

  it('every kind of response says no framing, no sniffing, same-origin referrers; no HSTS over plain HTTP', async () => {
    const page = await fetch(`${stack.portal.url}/signin`);
    const script = /<script\b[^>]*src="(\/_next\/static\/[^"]+)"/.exec(await page.text())?.[1];
    const responses = [
      page,
      await fetch(`${stack.portal.url}/worklist`, { redirect: 'manual' }),
      await fetch(`${stack.portal.url}/api/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { id } }"}' }),
      await fetch(`${stack.portal.url}${script}`),
    ];
    for (const response of responses) {
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });
});

describe('sign-out', () => {
  it('ends the session at the API: the old cookie’s token gets 401 from GraphQL, and the sign-out is audited', async () => {
    const policyViolations: string[] = [];
    const page = await newPage(stack);
    page.on('console', (message) => /Content Security Policy/i.test(message.text()) && policyViolations.push(message.text()));
    await signIn(page, stack.users.clinician.email);
    await page.waitForURL('**/worklist');
    await page.locator('table.worklist').waitFor();
    const cookie = (await sessionCookie(page))!;
    expect((await stack.api.graphql('{ me { id } }', {}, cookie.value)).data?.me.id).toBe(stack.users.clinician.id);

    // One lifetime for cookie, token and the API's session: SESSION_MAX_AGE_MINUTES.
    const lifetime = stack.api.config.SESSION_MAX_AGE_MINUTES * 60;
    const claims = (await decode({ token: cookie.value, secret: sessionSecret(stack.api.config) }))!;
    expect(Number(claims.exp) - Number(claims.iat)).toBe(lifetime);
    expect(Math.abs(cookie.expires - Number(claims.exp))).toBeLessThanOrEqual(2);
    const [session] = await stack.api.db.dataSource.query(`SELECT extract(epoch FROM expires_at)::int AS expires FROM portal_sessions WHERE id = $1`, [
      claims.sid,
    ]);
    expect(session.expires).toBe(Number(claims.signedInAt) + lifetime);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    expect(await sessionCookie(page)).toBeUndefined();
    const after = await stack.api.graphql('{ me { id } }', {}, cookie.value);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // The copied cookie opens no portal page either.
    await page.context().addCookies([{ name: cookie.name, value: cookie.value, url: stack.portal.url, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto('/worklist');
    await page.waitForURL('**/signin?callbackUrl=*');

    const audit = await stack.api.db.dataSource.query(`SELECT actor_user_id FROM audit_events WHERE action = 'user.sign-out'`);
    expect(audit).toEqual([{ actor_user_id: stack.users.clinician.id }]);
    expect(policyViolations).toEqual([]);
    await page.context().close();
  });

  it('through next-auth’s own sign-out page ends the API session too', async () => {
    const page = await signedIn(stack.users.lead.email);
    const cookie = (await sessionCookie(page))!;
    await page.goto('/api/auth/signout');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin**');
    expect((await stack.api.graphql('{ me { id } }', {}, cookie.value)).status).toBe(401);
    await page.context().close();
  });
});
