/**
 * The production topology without Docker, as compose runs it: the API, an inference worker and the portal, each from
 * its own entry point, on a fresh database with the demo off; the first accounts and the shipped model put there by
 * `npm run admin`; hospital single sign-on through a real OpenID Connect provider; a scan sent by STOW-RS, predicted
 * by the worker, and seen so in the portal in Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, User } from '@bonescan/db';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import type { Browser } from 'playwright-core';
import { ApiTokensService } from '../../services/api/src/api-tokens/api-tokens.service';
import { phantomScanFiles } from '../../services/api/src/ingest/testing/bone-scan-files';
import { spawnWorker, waitFor, type WorkerProcess } from '../../services/inference/src/worker/testing/worker-process';
import { launchChromium } from '../browser/chromium';
import { runScript } from '../command-lines/run-script';
import { ensurePortalBuild, REPO } from '../browser/portal-build';
import { startPortal, type RunningPortal } from '../browser/portal-server';
import { startHospitalIdentityProvider, type HospitalIdentityProvider } from '../sso/hospital-identity-provider';

jest.setTimeout(10 * 60_000);

const SHIPPED_MODEL = 'models/bonescan-vgg16-compact-phantoms';
const OIDC = { OIDC_ISSUER: '', OIDC_CLIENT_ID: 'bonescan-portal', OIDC_CLIENT_SECRET: 'topology-test-client-secret' };

/** `npm run admin -- …`, run as npm runs it, against the deployment's database. */
const admin = (args: string[], env: Record<string, string>) => runScript('scripts/admin.ts', args, env);

/** The API's own entry point (services/api/src/main.ts), ready once /readyz says so. */
async function startApiProcess(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/api/src/main.ts'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(
    'the API to be ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}: ${stderr}`);
      return (
        (await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (response) => response.ok,
          () => false,
        )) || undefined
      );
    },
    3 * 60_000,
  );
  return child;
}

const stopped = (child: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

describe('a hospital deployment without the demo', () => {
  let db: TestDatabase;
  let api: ChildProcess | undefined;
  let worker: WorkerProcess | undefined;
  let portal: RunningPortal | undefined;
  let idp: HospitalIdentityProvider | undefined;
  let browser: Browser | undefined;
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-topology-blobs-'));

  afterAll(async () => {
    await browser?.close();
    await idp?.stop();
    await portal?.stop();
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stopped(api);
    await db?.drop();
    fs.rmSync(blobDir, { recursive: true, force: true });
  });

  it('bootstraps an administrator and the shipped model, predicts a scan sent by STOW-RS, and shows it to a reader signed in through single sign-on', async () => {
    await ensurePortalBuild();
    db = await createTestDatabase();
    const [apiPort, dicomPort, idpPort] = [await freePort(), await freePort(), await freePort()];
    const oidc = { ...OIDC, OIDC_ISSUER: `http://127.0.0.1:${idpPort}` };
    const platform = {
      DATABASE_URL: db.url,
      BLOB_DIR: blobDir,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      API_URL: `http://127.0.0.1:${apiPort}`,
      ...oidc,
    };

    // The first steps of a deployment, by the command the README gives.
    const firstAdmin = await admin(['create-user', '--email', 'it.admin@hospital.test', '--role', 'ADMIN'], platform);
    expect(firstAdmin).toMatchObject({ code: 0, stdout: expect.stringMatching(/^password for it\.admin@hospital\.test \(shown once[^)]*\): \S{20,}\n$/) });
    expect(await admin(['create-user', '--email', 'reader@hospital.test', '--role', 'CLINICIAN', '--name', 'Dr Reader', '--sso-only'], platform)).toMatchObject(
      { code: 0 },
    );
    expect(await admin(['create-user', '--email', 'pacs@hospital.test', '--role', 'INTEGRATOR', '--sso-only'], platform)).toMatchObject({ code: 0 });
    const model = await admin(['register-model', SHIPPED_MODEL], platform);
    expect(model).toMatchObject({ code: 0, stderr: expect.stringContaining('(ACTIVE)') });
    expect(await db.dataSource.query(`SELECT action FROM audit_events ORDER BY id`)).toEqual(
      ['user.create', 'user.create', 'user.create', 'model-version.register'].map((action) => ({ action })),
    );

    api = await startApiProcess({ ...platform, API_HOST: '127.0.0.1', API_PORT: String(apiPort), DICOM_PORT: String(dicomPort) }, apiPort);
    // Info level: the worker says it is ready in an info line.
    worker = spawnWorker({ ...platform, LOG_LEVEL: 'info', INFERENCE_BACKEND: 'wasm', INFERENCE_POLL_SECONDS: '0.2' });
    await worker.ready;
    portal = await startPortal({ ...platform, WORKLIST_POLL_SECONDS: '2' });
    idp = await startHospitalIdentityProvider({
      port: idpPort,
      clientId: OIDC.OIDC_CLIENT_ID,
      clientSecret: OIDC.OIDC_CLIENT_SECRET,
      redirectUri: `${portal.url}/api/auth/callback/oidc`,
      accounts: { 'dr.reader': { email: 'Reader@hospital.test', email_verified: true } },
    });

    // The PACS sends a scan with its integrator account's token.
    const pacs = await db.dataSource.getRepository(User).findOneByOrFail({ email: 'pacs@hospital.test' });
    const { secret } = await new ApiTokensService(db.dataSource).create(
      { userId: pacs.id, role: pacs.role },
      { name: 'PACS', scopes: ['scans:write'], expiresInDays: 1 },
    );
    const scan = phantomScanFiles({ seed: 2101 });
    const boundary = 'topology-boundary';
    const body = Buffer.concat([
      ...scan.files.flatMap((file) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(file), Buffer.from('\r\n')]),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const stow = await fetch(`http://127.0.0.1:${apiPort}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json',
      },
      body,
    });
    expect(stow.status).toBe(200);
    await waitFor('the scan to be predicted', async () => {
      const [row] = await db.dataSource.query(`SELECT status FROM scans WHERE study_instance_uid = $1`, [scan.studyInstanceUid]);
      return row?.status === 'PREDICTED' || undefined;
    });

    browser = await launchChromium();
    const page = await (await browser.newContext({ baseURL: portal.url })).newPage();
    await page.goto('/signin');
    await page.getByRole('button', { name: 'Sign in with hospital single sign-on' }).click();
    await page.locator('input[name=login]').fill('dr.reader');
    await page.locator('input[name=password]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/worklist');
    await page.getByText('Dr Reader · clinician').waitFor();
    // The worklist loads in the browser: its one row, once there, must say the AI has called the scan.
    const rows = page.locator('table.worklist tbody tr');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(1);
    await rows.first().getByRole('cell', { name: 'predicted', exact: true }).waitFor();
  });
});
