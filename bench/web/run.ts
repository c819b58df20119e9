/// <reference lib="dom" />
/**
 * bench/web: in Debian's Chromium at 1366 x 768 against the production build of the portal,
 *   - time to interactive of the worklist (navigation → rows shown → `j` moves the selection),
 *   - time to interactive of the viewer (navigation → both views painted → `h` toggles the heat map),
 *   - the viewer's first paint of a 256 x 1024 AP/PA pair (performance mark, from navigation start),
 * each beside a baseline in the same run: a static page without JavaScript, and a bare page that
 * fetches the same two Float32 views and paints them with a plain loop (no framework, no proxy).
 *   node -r @swc-node/register bench/web/run.ts [--runs 7]
 */
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '@bonescan/blobstore';
import { User } from '@bonescan/db';
import { createTestModelVersion } from '@bonescan/db/testing';
import type { Page } from 'playwright-core';
import { withBenchDatabase } from '../support/bench-database';
import { buildApp } from '../../services/api/src/app';
import { sessionSecret } from '@bonescan/config';
import { issuePortalSession } from '../../services/api/src/auth/portal-session';
import { launchChromium } from '../../test/browser/chromium';
import { ensurePortalBuild } from '../../test/browser/portal-build';
import { startPortal } from '../../test/browser/portal-server';
import { seedReadingDay } from '../../test/browser/seed-reading-day';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The floor: the same two views fetched and painted by a few lines of script. */
const BARE_VIEWER = `<!doctype html><html><body style="margin:0;display:flex;gap:8px">
<canvas id="AP" width="256" height="1024"></canvas><canvas id="PA" width="256" height="1024"></canvas>
<script>
Promise.all(['AP', 'PA'].map(async (view) => {
  const pixels = new Float32Array(await (await fetch('/pixels/' + view)).arrayBuffer());
  let max = 0; for (const v of pixels) if (v > max) max = v;
  const context = document.getElementById(view).getContext('2d');
  const image = context.createImageData(256, 1024);
  for (let i = 0; i < pixels.length; i++) { const g = 255 - Math.min(255, (pixels[i] / max) * 255) | 0; image.data.set([g, g, g, 255], i * 4); }
  context.putImageData(image, 0, 0);
})).then(() => performance.mark('viewer-first-paint'));
</script></body></html>`;
const STATIC_PAGE = `<!doctype html><html><body><h1>Worklist</h1><table>${'<tr><td>scan</td><td>North</td></tr>'.repeat(50)}</table></body></html>`;

function startBaselineServer(pixels: { AP: Buffer; PA: Buffer }): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/static') return res.end(STATIC_PAGE);
    if (req.url === '/viewer') return res.end(BARE_VIEWER);
    const view = req.url?.replace('/pixels/', '') as 'AP' | 'PA';
    res.setHeader('content-type', 'application/octet-stream');
    res.end(pixels[view]);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })),
  );
}

async function timed(runs: number, label: string, once: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  await once(); // warm-up: first compile of the route, caches
  for (let run = 1; run <= runs; run += 1) {
    times.push(await once());
    process.stderr.write(`\r${label}: run ${run}/${runs}`);
  }
  process.stderr.write('\n');
  return median(times);
}

const firstPaintMark = (page: Page) => page.evaluate(() => performance.getEntriesByName('viewer-first-paint')[0]?.startTime ?? NaN);

async function main(): Promise<void> {
  const runs = argument('runs', 7);
  process.stderr.write('building the portal if its sources changed…\n');
  await ensurePortalBuild();
  await withBenchDatabase('web', 8, async ({ config, dataSource, dataDir }) => {
    const blobRoot = path.join(dataDir, 'blobs');
    const model = await createTestModelVersion(dataSource, { name: 'bench', version: '1' });
    const day = await seedReadingDay(dataSource, blobRoot, model.id, 50);
    const reader = await dataSource
      .getRepository(User)
      .save({ email: 'bench-web@hospital.test', name: 'Bench Reader', role: 'CLINICIAN', passwordHash: null, active: true });
    const app = await buildApp({ config: { ...config, BLOB_DIR: blobRoot }, dataSource });
    const portal = await startPortal({ API_URL: app.url, AUTH_SECRET: sessionSecret(config) });
    const scanId = day.positives[0].id;
    const [views] = [await dataSource.query(`SELECT view, pixel_blob_key FROM scan_views WHERE scan_id = $1`, [scanId])];
    const blobs = new BlobStore(blobRoot);
    const keyOf = (view: string) => views.find((row: { view: string }) => row.view === view).pixel_blob_key;
    const baseline = await startBaselineServer({ AP: await blobs.get(keyOf('AP')), PA: await blobs.get(keyOf('PA')) });

    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addCookies([
      { name: 'next-auth.session-token', value: await issuePortalSession(reader.id, sessionSecret(config)), url: portal.url, httpOnly: true, sameSite: 'Lax' },
    ]);
    const page = await context.newPage();

    const staticLoad = await timed(runs, 'static page', async () => {
      const start = Date.now();
      await page.goto(`${baseline.url}/static`, { waitUntil: 'load' });
      return Date.now() - start;
    });
    const worklist = await timed(runs, 'worklist', async () => {
      const start = Date.now();
      await page.goto(`${portal.url}/worklist`);
      await page.locator('tr[data-index="1"]').waitFor();
      await page.keyboard.press('j');
      await page.locator('tr[data-index="1"][aria-selected="true"]').waitFor();
      return Date.now() - start;
    });
    const bareViewer: number[] = [];
    const bareInteractive = await timed(runs, 'bare viewer', async () => {
      const start = Date.now();
      await page.goto(`${baseline.url}/viewer`);
      await page.waitForFunction(() => performance.getEntriesByName('viewer-first-paint').length > 0);
      bareViewer.push(await firstPaintMark(page));
      return Date.now() - start;
    });
    const viewerPaint: number[] = [];
    const viewer = await timed(runs, 'viewer', async () => {
      const start = Date.now();
      await page.goto(`${portal.url}/scans/${scanId}`);
      await page.locator('.viewer[data-painted="true"]').filter({ visible: true }).waitFor();
      await page.locator('canvas[data-heatmap="AP"]').filter({ visible: true }).waitFor();
      await page.keyboard.press('h');
      await page.locator('canvas[data-heatmap]').filter({ visible: true }).waitFor({ state: 'detached' });
      viewerPaint.push(await firstPaintMark(page));
      return Date.now() - start;
    });

    const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
    console.log(`bench/web — Chromium ${browser.version()}, ${os.cpus().length} cores, median of ${runs} runs after a warm-up`);
    console.log(`static page load (baseline)             ${ms(staticLoad)}`);
    console.log(`worklist time to interactive            ${ms(worklist)}   ${(worklist / staticLoad).toFixed(1)}x baseline   target <= 1500 ms`);
    console.log(`bare page paints the pair (baseline)    ${ms(median(bareViewer.slice(1)))}   (interactive ${ms(bareInteractive)})`);
    console.log(
      `viewer first paint, 256x1024 AP+PA      ${ms(median(viewerPaint.slice(1)))}   ${(median(viewerPaint.slice(1)) / median(bareViewer.slice(1))).toFixed(1)}x baseline   target <= 500 ms`,
    );
    console.log(`viewer time to interactive              ${ms(viewer)}   ${(viewer / bareInteractive).toFixed(1)}x baseline   target <= 1500 ms`);

    await browser.close();
    baseline.close();
    await portal.stop();
    await app.shutdown();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
