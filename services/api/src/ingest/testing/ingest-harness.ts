import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Role } from '@bonescan/clinical';
import { loadCodecs } from '@bonescan/dicom';
import { createLogger } from '@bonescan/logger';
import { PREDICT_QUEUE } from '@bonescan/queue';
import { ApiTokensService } from '../../api-tokens/api-tokens.service';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { startDicomReceiver, type DicomReceiver } from '../dicom-receiver';
import type { IngestService } from '../ingest.service';

export const run = promisify(execFile);

/** Whether a DICOM peer program is installed (tests that need it skip with a message when it is not). */
export function hasProgram(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, name)));
}

/**
 * The STOW-RS answer in the DICOM JSON model (PS3.18 F.2): Failed (00081198) and Referenced (00081199) SOP
 * Sequences whose items carry plain values. A request refused as a whole answers `{ error }` instead.
 */
type StowAnswer = Record<string, { vr: string; Value: Array<Record<string, { vr: string; Value: Array<string | number> }>> }>;

export interface IngestHarness {
  api: TestApi;
  ingest: IngestService;
  receiver: DicomReceiver;
  aeTitle: string;
  /** Temporary folder for files handed to DCMTK, Orthanc or the import. */
  workDir: string;
  tokenWith(scopes: string[], role?: Role): Promise<string>;
  stow(files: Uint8Array[], token: string, contentType?: string): Promise<{ status: number; body: StowAnswer }>;
  /** Counts of every row ingest writes, of blobs on disk and of staged blobs left behind: equal before and after a refused object. */
  snapshot(): Promise<Record<string, number>>;
  writeFile(name: string, bytes: Uint8Array): string;
  close(): Promise<void>;
}

export async function startIngestHarness(env: Record<string, string> = {}): Promise<IngestHarness> {
  const aeTitle = 'BONESCAN_TEST';
  await loadCodecs(); // the tests write their JPEG-family fixtures in this process
  const api = await startTestApi({ ingest: true, env: { DICOM_AE_TITLE: aeTitle, ...env } });
  const ingest = api.ingest as IngestService;
  const receiver = await startDicomReceiver({
    ingest,
    aeTitle,
    port: 0,
    allowedCallers: api.config.DICOM_ALLOWED_CALLERS,
    logger: createLogger('api', 'silent'),
  });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-ingest-'));
  const blobRoot = api.config.BLOB_DIR as string;
  return {
    api,
    ingest,
    receiver,
    aeTitle,
    workDir,
    async tokenWith(scopes, role = 'INTEGRATOR') {
      const { user } = await api.signInAs(role);
      const { secret } = await new ApiTokensService(api.db.dataSource).create(
        { userId: user.id, role },
        { name: `test ${scopes.join(' ')}`, scopes, expiresInDays: 1 },
      );
      return secret;
    },
    async stow(files, token, contentType) {
      const boundary = 'stow-test-boundary-7d1e';
      const body = Buffer.concat([
        ...files.flatMap((file) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(file), Buffer.from('\r\n')]),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      const response = await fetch(`${api.app.url}/dicomweb/studies`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': contentType ?? `multipart/related; type="application/dicom"; boundary=${boundary}`,
          accept: 'application/dicom+json',
        },
        body,
      });
      return { status: response.status, body: await response.json() };
    },
    async snapshot() {
      const [row] = await api.db.dataSource.query(
        `SELECT (SELECT count(*) FROM patients)::int AS patients, (SELECT count(*) FROM scans)::int AS scans,
                (SELECT count(*) FROM scan_views)::int AS views, (SELECT count(*) FROM dicom_instances)::int AS instances,
                (SELECT count(*) FROM pgboss.job WHERE name = $1)::int AS jobs`,
        [PREDICT_QUEUE],
      );
      return { ...row, blobs: countFiles(blobRoot), stagedLeftovers: countFiles(blobRoot, '.tmp') };
    },
    writeFile(name, bytes) {
      const file = path.join(workDir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, bytes);
      return file;
    },
    async close() {
      await receiver.stop();
      await api.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

function countFiles(dir: string, ending = ''): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile() && entry.name.endsWith(ending)).length;
}
