import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '@bonescan/clinical';
import { sessionSecret } from '@bonescan/config';
import { startTestApi, type TestApi } from '@bonescan/api/src/testing/test-api';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { ensurePortalBuild, REPO } from './portal-build';
import { startPortal, type RunningPortal } from './portal-server';
import { seedReadingDay, type ReadingDay } from './seed-reading-day';

export const PASSWORD = 'correct horse battery staple';
export const SCREENSHOTS = path.join(REPO, 'test-results');

export interface PortalStack {
  api: TestApi;
  portal: RunningPortal;
  browser: Browser;
  day: ReadingDay;
  users: Record<'clinician' | 'lead' | 'admin', { id: string; email: string; name: string }>;
  /** Takes the API down (the portal stays up), as when it crashes or the network fails. */
  stopApi(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Real API on its own database, a seeded reading day, the built portal in front of it, Chromium.
 * Polling is slowed to an hour so the worklist can refresh only through the live-update relay.
 */
export async function startPortalStack(): Promise<PortalStack> {
  await ensurePortalBuild();
  const blobRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-web-blobs-'));
  const api = await startTestApi({ env: { BLOB_DIR: blobRoot } });
  const model = await api.createModelVersion({ name: 'bonescan-vgg16-compact', version: '0.1.0-demo', syntheticData: true });
  const day = await seedReadingDay(api.db.dataSource, blobRoot, model.id);
  const account = async (role: Role) => (await api.signInAs(role, PASSWORD)).user;
  const users = { clinician: await account('CLINICIAN'), lead: await account('LEAD'), admin: await account('ADMIN') };
  await recordGroundTruth(api, users.lead.id);
  const portal = await startPortal({ API_URL: api.app.url, AUTH_SECRET: sessionSecret(api.config), WORKLIST_POLL_SECONDS: '3600' });
  const browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  let apiRunning = true;
  return {
    api,
    portal,
    browser,
    day,
    users,
    async stopApi() {
      await api.app.shutdown();
      apiRunning = false;
    },
    async close() {
      await browser.close();
      await portal.stop();
      await (apiRunning ? api.close() : api.db.drop());
      fs.rmSync(blobRoot, { recursive: true, force: true });
    },
  };
}

/** Follow-up confirmed the AI's call on every seeded scan: reader studies sample from scans with ground truth. */
async function recordGroundTruth(api: TestApi, recordedById: string): Promise<void> {
  await api.db.dataSource.query(
    `INSERT INTO ground_truths (scan_id, mbd, source, diagnosed_on, recorded_by_id)
     SELECT id, ai_label = 'MBD', 'FOLLOW_UP', current_date, $1 FROM scans WHERE ai_label IS NOT NULL`,
    [recordedById],
  );
}

/** A fresh browser context (no cookies, no storage) at 1366 x 768, the smallest screen we support. */
export async function newPage(stack: PortalStack): Promise<Page> {
  const context = await stack.browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: stack.portal.url });
  return context.newPage();
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  if (!page.url().includes('/signin')) await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
