/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in Chromium, on its DOM.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { newPage, SCREENSHOTS, signIn, startPortalStack, type PortalStack } from './portal-stack';

let stack: PortalStack;
let page: Page;

beforeAll(async () => {
  stack = await startPortalStack();
  page = await newPage(stack);
}, 600_000);

afterAll(async () => {
  await stack?.close();
});

const reviewsOf = (scanId: string): Promise<Array<{ verdict: string; confidence: number; ai_visible: boolean; time_spent_ms: number; comment: string; hotspot_assessments: unknown }>> =>
  stack.api.db.dataSource.query(`SELECT verdict, confidence, ai_visible, time_spent_ms, comment, hotspot_assessments FROM reviews WHERE scan_id = $1`, [scanId]);

describe('a clinician reads a scan in the portal', () => {
  it('signs in and sees the AI-positive scans first, by probability', async () => {
    await signIn(page, stack.users.clinician.email);
    await page.waitForURL('**/worklist');
    const rows = page.locator('table.worklist tbody tr');
    await rows.first().waitFor();
    const order = await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('data-scan-id')));
    const positives = stack.day.positives.map((scan) => scan.id);
    expect(positives.length).toBeGreaterThan(1);
    expect(order.slice(0, positives.length)).toEqual(positives);
    await expect(page.locator('[data-ai-label="MBD"]').count()).resolves.toBe(positives.length);
    await expect(page.getByText('Research use only').first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'worklist.png') });
  });

  it('opens the top scan with the keyboard and shows both views with the Grad-CAM overlay, which h toggles', async () => {
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/scans/${stack.day.positives[0].id}`);
    await page.locator('.viewer[data-painted="true"]').waitFor();
    await page.locator('canvas[data-heatmap="AP"]').waitFor();
    // The views carry the phantom's grey levels, not a blank canvas.
    const greyLevels = await page.locator('canvas[data-view="PA"]').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const levels = new Set<number>();
      for (let i = 0; i < data.length; i += 4) levels.add(data[i]);
      return levels.size;
    });
    expect(greyLevels).toBeGreaterThan(20);
    const heat = await page.locator('canvas[data-heatmap="AP"]').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque += 1;
      return opaque;
    });
    expect(heat).toBeGreaterThan(100);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'viewer-with-overlay.png') });

    await page.keyboard.press('h');
    await expect(page.locator('canvas[data-heatmap]').count()).resolves.toBe(0);
    await page.keyboard.press('h');
    await page.locator('canvas[data-heatmap="AP"]').waitFor();
  });

  it('submits a review by keyboard and the worklist marks the scan read', async () => {
    const scanId = stack.day.positives[0].id;
    await page.keyboard.press('m');
    await page.keyboard.press('4');
    await page.getByLabel('Comment').fill('Focal uptake lumbar spine');
    await page.getByLabel('Comment').press('Control+Enter');
    await page.waitForURL('**/worklist?reviewed=*');
    await page.locator(`tr[data-scan-id="${scanId}"][data-read="true"]`).waitFor();

    const [review, ...others] = await reviewsOf(scanId);
    expect(others).toHaveLength(0);
    expect(review).toMatchObject({ verdict: 'MBD', confidence: 4, ai_visible: true, comment: 'Focal uptake lumbar spine' });
    expect(review.time_spent_ms).toBeGreaterThan(0);
  });

  it('shows a scan with one view, labelled as such', async () => {
    await page.goto(`/scans/${stack.day.singleViewScanId}`);
    await page.locator('.viewer[data-painted="true"]').waitFor();
    await expect(page.getByTestId('view-count').textContent()).resolves.toBe('AP only (single view)');
    await expect(page.getByRole('figure', { name: 'PA view missing' }).textContent()).resolves.toContain('has not been received');
  });

  it('refuses a clinician the admin and lead pages', async () => {
    for (const pagePath of ['/admin', '/dashboards']) {
      await page.goto(pagePath);
      await expect(page.getByRole('heading', { name: 'Access refused' }).isVisible()).resolves.toBe(true);
    }
  });
});
