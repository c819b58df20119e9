import type { User } from '@bonescan/db';
import { newPage, platformAccount, signInThroughHospital, startSsoStack, type SsoStack } from '../sso/sso-stack';

const sessionCookieOf = async (page: Awaited<ReturnType<typeof newPage>>) =>
  (await page.context().cookies()).find((cookie) => cookie.name.endsWith('next-auth.session-token'));

/** A shared reading-room workstation: the next person must not be signed straight back in as the last one. */
describe('sign-out of a session opened through hospital single sign-on (oidc-provider, Chromium)', () => {
  let stack: SsoStack;
  let reader: User;

  beforeAll(async () => {
    stack = await startSsoStack({ 'r.one': { email: 'reader.one@hospital.test', email_verified: true, name: 'Dr Reader One' } });
    reader = await platformAccount(stack.api, { email: 'reader.one@hospital.test', role: 'CLINICIAN' });
  });
  afterAll(() => stack?.close());

  it('ends the session at the API and at the hospital sign-in service, which then asks for the login again', async () => {
    const page = await newPage(stack);
    await signInThroughHospital(page, stack, 'r.one');
    await page.waitForURL('**/worklist');
    const cookie = (await sessionCookieOf(page))!;
    expect((await stack.api.graphql('{ me { id } }', {}, cookie.value)).data?.me.id).toBe(reader.id);

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The portal sends the browser to the service's end-session endpoint naming the ID token it signed in with.
    await page.waitForURL((url) => url.origin === stack.idp.issuer && url.searchParams.has('id_token_hint'));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${stack.portal.url}/signin**`);
    expect((await stack.api.graphql('{ me { id } }', {}, cookie.value)).status).toBe(401);

    await page.getByRole('button', { name: 'Sign in with hospital single sign-on' }).click();
    await page.waitForURL(`${stack.idp.issuer}/**`);
    await expect(page.locator('input[name=login]').isVisible()).resolves.toBe(true);
    await page.context().close();
  });
});
