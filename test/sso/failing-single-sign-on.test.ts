import { PORTAL_CLIENT_ADDRESS_HEADER, statePortalClientAddress } from '@bonescan/config';
import { User, UserIdentity } from '@bonescan/db';
import type { Page } from 'playwright-core';
import { startHospitalIdentityProvider } from './hospital-identity-provider';
import { CLIENT_ID, identityAudit, newPage, platformAccount, signInThroughHospital, startSsoStack, type SsoStack } from './sso-stack';

const NOT_ENABLED = 'Your hospital account is not enabled here; ask an administrator';

const HOSPITAL_ACCOUNTS = {
  stranger: { email: 'stranger@hospital.test', email_verified: true },
  'no-email': { name: 'Dr No Mail' },
  unverified: { email: 'reader@hospital.test', email_verified: false },
  'left-the-department': { email: 'left@hospital.test', email_verified: true },
  porter: { email: 'porter@hospital.test', email_verified: true, groups: ['radiology-porters'] },
  reader: { email: 'reader@hospital.test', email_verified: true },
};

describe('hospital single sign-on refuses (oidc-provider, Chromium)', () => {
  let stack: SsoStack;
  let users: number;

  beforeAll(async () => {
    stack = await startSsoStack(HOSPITAL_ACCOUNTS);
    await platformAccount(stack.api, { email: 'reader@hospital.test', role: 'CLINICIAN' });
    await platformAccount(stack.api, { email: 'left@hospital.test', role: 'CLINICIAN', active: false });
    users = await stack.api.db.dataSource.getRepository(User).count();
  });
  afterAll(() => stack?.close());

  /** Signs in as the account and expects the clear page with the reason's sentence, no session, nothing created or linked. */
  async function expectNotEnabled(login: string, sentence: RegExp): Promise<Page> {
    const page = await newPage(stack);
    await signInThroughHospital(page, stack, login);
    await page.waitForURL('**/signin/not-enabled?reason=*');
    await page.getByRole('heading', { name: NOT_ENABLED }).waitFor();
    await page.getByText(sentence).waitFor();
    await page.goto('/worklist');
    await page.waitForURL('**/signin?callbackUrl=*');
    expect(await stack.api.db.dataSource.getRepository(User).count()).toBe(users);
    return page;
  }

  const refusals = async (reason: string) =>
    (await identityAudit(stack.api)).filter((row) => row.action === 'user.sign-in-refused' && row.details.reason === reason);

  /** The portal audits its own refusals beside the redirect it answers with: the row may land a moment after the page. */
  async function portalRefusals(reason: string): Promise<Array<{ clientAddress: string | null; details: Record<string, unknown> }>> {
    const read = () =>
      stack.api.db.dataSource.query(
        `SELECT client_address AS "clientAddress", details FROM audit_events WHERE action = 'user.sign-in-refused' AND details->>'reason' = $1 ORDER BY id`,
        [reason],
      );
    for (let waited = 0; waited < 5000 && (await read()).length === 0; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    return read();
  }

  it('shows an unknown hospital account the "not enabled" page and creates nothing while account creation is off', async () => {
    await expectNotEnabled('stranger', /No BoneScan account matches your hospital account/);
    expect(await refusals('account-unknown')).toEqual([
      expect.objectContaining({ actorUserId: null, details: { method: 'oidc', reason: 'account-unknown', issuer: stack.idp.issuer, subject: 'stranger' } }),
    ]);
    expect(await stack.api.db.dataSource.getRepository(UserIdentity).count()).toBe(0);
  });

  it('refuses an identity provider that sends no e-mail', async () => {
    await expectNotEnabled('no-email', /did not say who you are \(no e-mail address\)/);
    expect(await refusals('claim-missing')).toHaveLength(1);
  });

  it('refuses an e-mail the identity provider has not verified, even one a platform account has', async () => {
    await expectNotEnabled('unverified', /has not verified your e-mail address/);
    expect(await refusals('email-unverified')).toHaveLength(1);
    expect(await stack.api.db.dataSource.getRepository(UserIdentity).count()).toBe(0);
  });

  it('refuses a deactivated platform account', async () => {
    await expectNotEnabled('left-the-department', /has been deactivated/);
    expect(await refusals('account-deactivated')).toHaveLength(1);
  });

  it('refuses to create an account whose role claim names no platform role', async () => {
    stack.api.config.OIDC_PROVISION_USERS = true;
    try {
      await expectNotEnabled('porter', /no role BoneScan knows/);
    } finally {
      stack.api.config.OIDC_PROVISION_USERS = false;
    }
    expect(await refusals('role-unknown')).toEqual([expect.objectContaining({ details: expect.objectContaining({ subject: 'porter' }) })]);
  });

  it('refuses an answer whose nonce is not the one the portal sent, and signs nobody in', async () => {
    const page = await newPage(stack);
    // An attacker replaying another sign-in's answer cannot know the nonce bound to this browser's cookie.
    await page.route(`${stack.idp.issuer}/auth?*`, (route) => {
      const url = new URL(route.request().url());
      if (!url.searchParams.get('nonce')) return route.continue();
      url.searchParams.set('nonce', 'nonce-of-another-sign-in');
      return route.continue({ url: url.toString() });
    });
    await signInThroughHospital(page, stack, 'reader');
    await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('error') === 'OAuthCallback');
    await page.getByText('The hospital sign-in service’s answer failed BoneScan’s checks').waitFor();
    const audit = await identityAudit(stack.api);
    expect(audit.filter((row) => row.action === 'user.sign-in')).toEqual([]);
    expect(await stack.api.db.dataSource.getRepository(UserIdentity).count()).toBe(0);
    // The browser reached the portal over loopback: that is the address the audit names.
    expect(await portalRefusals('nonce-mismatch')).toEqual([
      {
        clientAddress: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$|^::1$/),
        details: { method: 'oidc', reason: 'nonce-mismatch', issuer: stack.idp.issuer, subject: null },
      },
    ]);
  });

  it('lets only the portal record a refused sign-in: a caller without its signed address statement is refused and writes nothing', async () => {
    const before = await stack.api.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events`);
    const forged = statePortalClientAddress('a secret the portal does not hold', '203.0.113.7');
    for (const statement of [undefined, forged]) {
      const response = await fetch(`${stack.api.app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(statement ? { [PORTAL_CLIENT_ADDRESS_HEADER]: statement } : {}) },
        body: JSON.stringify({ query: 'mutation { recordSingleSignOnRefusal(reason: NONCE_MISMATCH) }' }),
      });
      const answer = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    expect(await stack.api.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events`)).toEqual(before);
  });

  it('tells a client secret the identity provider no longer accepts from an identity provider that does not answer', async () => {
    // The hospital rotates the portal's client secret at its identity provider, and BoneScan's is not updated.
    await stack.idp.stop();
    const port = new URL(stack.idp.issuer).port;
    stack.idp = await startHospitalIdentityProvider({
      port: Number(port),
      clientId: CLIENT_ID,
      clientSecret: 'rotated-at-the-identity-provider',
      redirectUri: `${stack.portal.url}/api/auth/callback/oidc`,
      accounts: HOSPITAL_ACCOUNTS,
    });
    const refused = await newPage(stack);
    await signInThroughHospital(refused, stack, 'reader');
    await refused.getByText('does not accept BoneScan’s client id or secret').waitFor();
    expect(await portalRefusals('client-rejected')).toHaveLength(1);

    // Then the identity provider goes down.
    await stack.idp.stop();
    const outage = await newPage(stack);
    await outage.goto('/signin');
    await outage.getByRole('button', { name: 'Sign in with hospital single sign-on' }).click();
    await outage.getByText('The hospital sign-in service is not answering').waitFor();
    expect(await portalRefusals('idp-unreachable')).toHaveLength(1);
    expect((await identityAudit(stack.api)).filter((row) => row.action === 'user.sign-in')).toEqual([]);
  });
});
