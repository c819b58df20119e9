/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in Chromium, on its DOM.
import path from 'node:path';
import { seedSyntheticScans } from '@bonescan/db';
import { SCAN_UPDATED_CHANNEL } from '@bonescan/queue';
import ExcelJS from 'exceljs';
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

const reviewsOf = (
  scanId: string,
): Promise<Array<{ verdict: string; confidence: number; ai_visible: boolean; time_spent_ms: number; comment: string; hotspot_assessments: unknown }>> =>
  stack.api.db.dataSource.query(`SELECT verdict, confidence, ai_visible, time_spent_ms, comment, hotspot_assessments FROM reviews WHERE scan_id = $1`, [
    scanId,
  ]);

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
    await page.locator('.viewer[data-painted="true"]').filter({ visible: true }).waitFor();
    await page.locator('canvas[data-heatmap="AP"]').filter({ visible: true }).waitFor();
    // The views carry the phantom's grey levels, not a blank canvas.
    const greyLevels = await page
      .locator('canvas[data-view="PA"]')
      .filter({ visible: true })
      .evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const levels = new Set<number>();
        for (let i = 0; i < data.length; i += 4) levels.add(data[i]);
        return levels.size;
      });
    expect(greyLevels).toBeGreaterThan(20);
    // The seeded Grad-CAM is hot in the hotspot's view (AP) and cold in PA: each view shows its own map.
    await page.locator('canvas[data-heatmap="PA"]').filter({ visible: true }).waitFor();
    const heatOf = (view: string) =>
      page
        .locator(`canvas[data-heatmap="${view}"]`)
        .filter({ visible: true })
        .evaluate((canvas: HTMLCanvasElement) => {
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let opaque = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque += 1;
          return opaque;
        });
    expect(await heatOf('AP')).toBeGreaterThan(100);
    expect(await heatOf('PA')).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'viewer-with-overlay.png') });

    await page.getByLabel('Opacity').press('End');
    await expect(
      page
        .locator('canvas[data-heatmap="AP"]')
        .filter({ visible: true })
        .evaluate((canvas) => canvas.style.opacity),
    ).resolves.toBe('1');
    // A hotspot click zooms both views onto it; dragging on a view changes the window.
    await page.getByRole('button', { name: /lumbar spine \(AP\)/ }).click();
    await expect(
      page
        .locator('.view-stage')
        .first()
        .evaluate((stage) => stage.style.transform),
    ).resolves.toContain('scale(3)');
    const box = (await page.getByRole('img', { name: /^AP whole-body view/ }).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 100, box.y + 260, { steps: 4 });
    await page.mouse.up();
    await expect(page.getByText(/^Window \d+–\d+%$/).textContent()).resolves.not.toBe('Window 0–100%');

    await page.keyboard.press('h');
    await expect(page.locator('canvas[data-heatmap]').filter({ visible: true }).count()).resolves.toBe(0);
    await page.keyboard.press('h');
    await page.locator('canvas[data-heatmap="AP"]').filter({ visible: true }).waitFor();
  });

  it('submits a review by keyboard and the worklist marks the scan read', async () => {
    const scanId = stack.day.positives[0].id;
    await page.keyboard.press('m');
    await page.keyboard.press('4');
    await page.getByLabel('Comment').fill('Focal uptake lumbar spine');
    await page.getByLabel('Comment').press('Control+Enter');
    await page.waitForURL('**/worklist?reviewed=*');
    await page.locator(`tr[data-scan-id="${scanId}"][data-read="true"]`).waitFor();

    await page.getByLabel('Unread only').check();
    await page.locator(`tr[data-scan-id="${scanId}"]`).waitFor({ state: 'detached' });
    await page.getByLabel('Unread only').uncheck();

    const [review, ...others] = await reviewsOf(scanId);
    expect(others).toHaveLength(0);
    expect(review).toMatchObject({ verdict: 'MBD', confidence: 4, ai_visible: true, comment: 'Focal uptake lumbar spine' });
    expect(review.time_spent_ms).toBeGreaterThan(0);
  });

  it('shows a scan with one view, labelled as such', async () => {
    await page.goto(`/scans/${stack.day.singleViewScanId}`);
    await page.locator('.viewer[data-painted="true"]').filter({ visible: true }).waitFor();
    await expect(page.getByTestId('view-count').textContent()).resolves.toBe('AP only (single view)');
    await expect(page.getByRole('figure', { name: 'PA view missing' }).textContent()).resolves.toContain('has not been received');
  });

  it('shows a newly predicted scan without a reload, as the API announces it', async () => {
    await page.goto('/worklist');
    const rows = page.locator('table.worklist tbody tr');
    await rows.first().waitFor();
    const before = await rows.count();
    const [model] = await stack.api.db.dataSource.query(`SELECT id FROM model_versions LIMIT 1`);
    await seedSyntheticScans(stack.api.db.dataSource, { count: 1, modelVersionId: model.id, sites: ['East'] });
    const [{ id }] = await stack.api.db.dataSource.query(`SELECT id FROM scans WHERE site = 'East'`);
    await stack.api.db.dataSource.query(`SELECT pg_notify($1, $2)`, [SCAN_UPDATED_CHANNEL, id]);
    await page.locator(`tr[data-scan-id="${id}"]`).waitFor();
    expect(await rows.count()).toBe(before + 1);
  });

  it('refuses a clinician the admin and lead pages', async () => {
    for (const pagePath of ['/admin', '/dashboards']) {
      await page.goto(pagePath);
      await expect(page.getByRole('heading', { name: 'Access refused' }).isVisible()).resolves.toBe(true);
    }
  });
});

describe('leads and administrators', () => {
  let lead: Page;

  beforeAll(async () => {
    lead = await newPage(stack);
    await signIn(lead, stack.users.lead.email);
    await lead.waitForURL('**/worklist');
  });

  it('shows a lead dashboards with turnaround, agreement and diagnostic figures', async () => {
    await lead.goto('/dashboards');
    await lead.getByTestId('backlog').waitFor();
    const backlog = Number(await lead.getByTestId('backlog').textContent());
    const [{ unread }] = await stack.api.db.dataSource.query(`SELECT count(*)::int AS unread FROM scans WHERE final_read_at IS NULL`);
    expect(backlog).toBe(unread);
    expect(backlog).toBeGreaterThan(0);
    await lead.getByRole('heading', { name: 'AI–reader agreement' }).waitFor();
    await expect(lead.getByRole('row', { name: /^AI alone/ }).count()).resolves.toBe(1);
    await expect(lead.getByText('No reads of scans this model called').count()).resolves.toBe(0);
    await lead.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
  });

  it('runs a blinded reader study from a balanced sample to an .xlsx of results', async () => {
    await lead.goto('/reader-studies');
    await lead.getByLabel('Name').fill('Pilot blinded study');
    await lead.getByLabel('Cases (half with MBD)').fill('4');
    await lead.getByRole('button', { name: 'Sample balanced cases' }).click();
    await lead.getByText('Sampled 4 cases: 2 with MBD, 2 without.').waitFor();
    await lead.getByRole('button', { name: 'Create study' }).click();
    await lead.getByRole('cell', { name: 'Pilot blinded study' }).waitFor();

    await page.goto('/reader-studies');
    await page.getByRole('link', { name: 'Read cases' }).click();
    for (let read = 1; read <= 4; read += 1) {
      await page.locator('.viewer[data-painted="true"]').filter({ visible: true }).waitFor();
      await expect(page.locator('canvas[data-heatmap]').filter({ visible: true }).count()).resolves.toBe(0); // blinded: no AI
      if (read === 1) await page.screenshot({ path: path.join(SCREENSHOTS, 'reader-study.png') });
      await page.keyboard.press(read % 2 ? 'm' : 'n');
      await page.keyboard.press('3');
      await page.keyboard.press('Control+Enter');
      await page
        .getByTestId('study-progress')
        .filter({ hasText: `${read} of 4 read` })
        .waitFor();
    }
    await page.getByText('All 4 cases read.').waitFor();

    await lead.goto('/reader-studies');
    // Readings stay blind while the study is open: results come once the lead closes it.
    await lead.getByRole('button', { name: 'Close' }).click();
    await lead.getByRole('link', { name: 'Results' }).click();
    await lead.getByRole('row', { name: new RegExp(`^${stack.users.clinician.name}`) }).waitFor();
    await lead.screenshot({ path: path.join(SCREENSHOTS, 'reader-study-results.png') });
    const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('link', { name: 'Download .xlsx' }).click()]);
    const file = path.join(SCREENSHOTS, 'reader-study-results.xlsx');
    await download.saveAs(file);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const readers = workbook.getWorksheet('Readers')!;
    const header = (readers.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['Reader', 'Cases read', 'Cases with ground truth', 'AUC']);
    const rows = readers
      .getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[]).slice(1));
    const clinicianRow = rows.find((row) => row[0] === stack.users.clinician.name)!;
    expect(clinicianRow.slice(1, 3)).toEqual([4, 4]);
    const auc = clinicianRow[3] as number;
    expect(auc).toBeGreaterThanOrEqual(0);
    expect(auc).toBeLessThanOrEqual(1);
    const reads = workbook
      .getWorksheet('Reads')!
      .getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[]).slice(1));
    expect(reads).toHaveLength(4);
    expect(reads.map((row) => row[0]).sort()).toEqual([1, 2, 3, 4]);
    expect(reads.every((row) => row[1] === stack.users.clinician.name && ['MBD', 'NO_MBD', 'EQUIVOCAL'].includes(row[2] as string))).toBe(true);
    const summary = Object.fromEntries(
      workbook
        .getWorksheet('Summary')!
        .getSheetValues()
        .slice(2)
        .map((row) => (row as unknown[]).slice(1, 3)),
    );
    expect(summary).toMatchObject({ Study: 'Pilot blinded study', Mode: 'BLINDED', Cases: 4, 'Cases with ground truth': 4, Reads: 4 });
  });

  it('lets an administrator issue an API token that is shown once and works', async () => {
    const admin = await newPage(stack);
    await signIn(admin, stack.users.admin.email);
    await admin.waitForURL('**/worklist');
    await admin.goto('/admin');
    await admin.getByLabel('Token name').fill('PACS bridge');
    await admin.getByRole('checkbox', { name: 'scans:read' }).check();
    await admin.getByRole('button', { name: 'Create token' }).click();
    const secret = (await admin.getByTestId('token-secret').textContent())!.trim();
    const me = await stack.api.graphql<{ me: { id: string } }>('{ me { id } }', {}, secret);
    expect(me.data?.me.id).toBe(stack.users.admin.id);
    await admin.reload();
    await admin.getByRole('cell', { name: 'PACS bridge' }).waitFor();
    await expect(admin.getByText(secret).count()).resolves.toBe(0);
  });

  it('lets an administrator add a user with a role and put a model version in shadow mode', async () => {
    const admin = await newPage(stack);
    await signIn(admin, stack.users.admin.email);
    await admin.waitForURL('**/worklist');
    await admin.goto('/admin');
    const form = admin.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Name').fill('Dr New Reader');
    await form.getByLabel('E-mail').fill('new.reader@hospital.test');
    await form.getByLabel('Role').selectOption('LEAD');
    await form.getByRole('button', { name: 'Add user' }).click();
    await admin.getByRole('cell', { name: 'new.reader@hospital.test' }).waitFor();
    const [user] = await stack.api.db.dataSource.query(`SELECT name, role, password_hash FROM users WHERE email = 'new.reader@hospital.test'`);
    expect(user).toEqual({ name: 'Dr New Reader', role: 'LEAD', password_hash: null });

    await admin.getByRole('button', { name: 'Shadow' }).click();
    await admin.getByRole('cell', { name: 'shadow', exact: true }).waitFor();
    const [model] = await stack.api.db.dataSource.query(`SELECT status FROM model_versions`);
    expect(model.status).toBe('SHADOW');
  });
});
