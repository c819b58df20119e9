/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in Chromium, on its DOM.
import { issuePortalSession } from '@bonescan/api/src/auth/portal-session';
import { sessionSecret } from '@bonescan/config';
import type { Page } from 'playwright-core';
import { newPage, signIn, startPortalStack, type PortalStack } from './portal-stack';

let stack: PortalStack;

beforeAll(async () => {
  stack = await startPortalStack();
}, 600_000);

afterAll(async () => {
  await stack?.close();
});

const countReviews = async (scanId: string): Promise<number> =>
  Number((await stack.api.db.dataSource.query(`SELECT count(*) AS n FROM reviews WHERE scan_id = $1`, [scanId]))[0].n);

const sessionCookie = async (page: Page) => (await page.context().cookies()).find((cookie) => cookie.name.endsWith('next-auth.session-token'));

async function chooseVerdict(page: Page, scanId: string) {
  await page.goto(`/scans/${scanId}`);
  await page.locator('.viewer[data-painted="true"]').filter({ visible: true }).waitFor();
  await page.getByRole('radio', { name: 'No MBD (n)' }).check();
  await page.getByRole('radio', { name: '3', exact: true }).check();
}

describe('the portal under bad input', () => {
  it('keeps a review whose session expired mid-review and submits it once the reader signs in again', async () => {
    const page = await newPage(stack);
    await signIn(page, stack.users.lead.email);
    await page.waitForURL('**/worklist');
    const scanId = stack.day.negatives[0];
    await chooseVerdict(page, scanId);
    await page.getByLabel('Comment').fill('Degenerative change only');

    await page.context().clearCookies(); // the session runs out while the reader is still reading
    await page.getByRole('button', { name: /Submit review/ }).click();
    await page.getByText('Your session has ended.').waitFor();
    expect(await countReviews(scanId)).toBe(0);
    const kept = await page.evaluate((id) => window.localStorage.getItem(`bonescan.review-draft.scan.${id}`), scanId);
    expect(JSON.parse(kept!)).toMatchObject({ verdict: 'NO_MBD', confidence: 3, comment: 'Degenerative change only', pending: true });

    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signIn(page, stack.users.lead.email);
    await page.waitForURL('**/worklist?reviewed=*');
    expect(await countReviews(scanId)).toBe(1);
    const [review] = await stack.api.db.dataSource.query(`SELECT verdict, comment FROM reviews WHERE scan_id = $1`, [scanId]);
    expect(review).toEqual({ verdict: 'NO_MBD', comment: 'Degenerative change only' });
    await page.context().close();
  });

  it('records one review when submit is pressed twice', async () => {
    const page = await newPage(stack);
    await signIn(page, stack.users.clinician.email);
    await page.waitForURL('**/worklist');
    const scanId = stack.day.negatives[1];
    await chooseVerdict(page, scanId);
    const submit = page.getByRole('button', { name: /Submit review/ });
    await submit.evaluate((button: HTMLButtonElement) => {
      button.click();
      button.click();
    });
    await page.waitForURL('**/worklist?reviewed=*');
    expect(await countReviews(scanId)).toBe(1);
    await page.context().close();
  });

  // The API limits sign-ins per e-mail and per caller address, and every portal sign-in comes from the
  // portal's address: this test runs after the ones that sign in with a password.
  it('answers a wrong password and an unknown e-mail alike, sets no session, and stops guessing after five tries', async () => {
    const page = await newPage(stack);
    await page.goto('/scans/some-scan');
    expect(page.url()).toBe(`${stack.portal.url}/signin?callbackUrl=%2Fscans%2Fsome-scan`);
    const messages: string[] = [];
    for (const [email, password] of [
      [stack.users.clinician.email, 'wrong password'],
      ['nobody@hospital.test', 'wrong password'],
    ]) {
      await signIn(page, email, password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor(); // back from "Signing in…"
      messages.push((await page.locator('#signin-error').textContent()) ?? '');
    }
    expect(messages).toEqual(['E-mail or password is incorrect', 'E-mail or password is incorrect']);
    expect(await sessionCookie(page)).toBeUndefined();

    for (let attempt = 0; attempt < 4; attempt += 1) await signIn(page, stack.users.clinician.email, `guess ${attempt}`);
    await signIn(page, stack.users.clinician.email); // the right password, too late
    await page.locator('#signin-error', { hasText: 'Too many failed sign-ins: wait a few minutes and try again' }).waitFor();
    expect(await sessionCookie(page)).toBeUndefined();
    await page.context().close();
  });

  it('shows a clear banner, not a blank page, when the API is unreachable', async () => {
    // Signed in by a session token as next-auth issues it: password sign-ins are locked out by now.
    const page = await newPage(stack);
    const token = await issuePortalSession(stack.users.admin.id, sessionSecret(stack.api.config));
    await page.context().addCookies([{ name: 'next-auth.session-token', value: token, url: stack.portal.url, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto('/worklist');
    await page.locator('table.worklist').waitFor();
    await stack.stopApi();

    // The open worklist keeps its rows and says why it cannot refresh...
    await page.getByText('The BoneScan API cannot be reached.').waitFor();
    await expect(page.locator('table.worklist tbody tr').count()).resolves.toBeGreaterThan(0);
    // ...and a page loaded afresh says the same instead of failing blank.
    await page.goto('/worklist');
    await expect(page.locator('.banner[role=alert]').textContent()).resolves.toContain('The BoneScan API cannot be reached.');
    await page.context().close();
  });
});
