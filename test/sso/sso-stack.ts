import { freePort, User } from '@bonescan/db';
import { sessionSecret } from '@bonescan/config';
import { startTestApi, type TestApi } from '@bonescan/api/src/testing/test-api';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../browser/chromium';
import { ensurePortalBuild } from '../browser/portal-build';
import { startPortal, type RunningPortal } from '../browser/portal-server';
import { startHospitalIdentityProvider, type HospitalAccountClaims, type HospitalIdentityProvider } from './hospital-identity-provider';

export const CLIENT_ID = 'bonescan-portal';
const CLIENT_SECRET = 'test-client-secret-of-the-portal';

export interface SsoStack {
  api: TestApi;
  portal: RunningPortal;
  idp: HospitalIdentityProvider;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The API and the built portal configured for a hospital's single sign-on, the hospital's identity provider
 * (oidc-provider) with the given accounts, and Chromium. Roles of created accounts come from the `groups` claim.
 */
export async function startSsoStack(accounts: Record<string, HospitalAccountClaims>): Promise<SsoStack> {
  await ensurePortalBuild();
  const idpPort = await freePort();
  const issuer = `http://127.0.0.1:${idpPort}`;
  const oidc = { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET };
  const api = await startTestApi({ env: { ...oidc, OIDC_ROLE_CLAIM: 'groups', OIDC_ROLE_MAP: 'nm-physicians=CLINICIAN,nm-leads=LEAD' } });
  const portal = await startPortal({ API_URL: api.app.url, AUTH_SECRET: sessionSecret(api.config), WORKLIST_POLL_SECONDS: '3600', ...oidc });
  const idp = await startHospitalIdentityProvider({
    port: idpPort,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: `${portal.url}/api/auth/callback/oidc`,
    accounts,
  });
  const browser = await launchChromium();
  return {
    api,
    portal,
    idp,
    browser,
    async close() {
      await browser.close();
      await idp.stop();
      await portal.stop();
      await api.close();
    },
  };
}

/** A platform account as an administrator makes it; `password: null` is an account for single sign-on only. */
export async function platformAccount(api: TestApi, account: { email: string; role: User['role']; active?: boolean }): Promise<User> {
  return api.db.dataSource
    .getRepository(User)
    .save({ email: account.email, name: `Dr ${account.email.split('@')[0]}`, role: account.role, passwordHash: null, active: account.active ?? true });
}

/** A fresh browser at the portal's sign-in page. */
export async function newPage(stack: SsoStack): Promise<Page> {
  const context = await stack.browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: stack.portal.url });
  return context.newPage();
}

/** Sign in through the hospital's sign-in service as one of its accounts; ends back at the portal, wherever it sends. */
export async function signInThroughHospital(page: Page, stack: SsoStack, login: string): Promise<void> {
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Sign in with hospital single sign-on' }).click();
  await page.waitForURL(`${stack.idp.issuer}/**`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password the test provider accepts');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === stack.portal.url && !url.pathname.startsWith('/api/auth'));
}

/** The identity audit rows, oldest first. */
export async function identityAudit(
  api: TestApi,
): Promise<Array<{ action: string; actorUserId: string | null; entityId: string; details: Record<string, unknown> }>> {
  return api.db.dataSource.query(
    `SELECT action, actor_user_id AS "actorUserId", entity_id AS "entityId", details FROM audit_events WHERE action LIKE 'user.%' ORDER BY id`,
  );
}
