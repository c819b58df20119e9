import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@bonescan/db';
import { phantomScanFiles } from './testing/bone-scan-files';
import { hasProgram, startIngestHarness, type IngestHarness } from './testing/ingest-harness';

const ORTHANC = hasProgram('Orthanc');
if (!ORTHANC) process.stderr.write('Orthanc is not installed (apt-get install -y orthanc): the PACS forwarding test is skipped\n');

/** A real Orthanc PACS, started as a child process with the platform configured as one of its modalities. */
async function startOrthanc(workDir: string, platform: { aeTitle: string; port: number }): Promise<{ url: string; process: ChildProcess }> {
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const configFile = path.join(workDir, 'orthanc.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      Name: 'bonescan-test-pacs',
      StorageDirectory: path.join(workDir, 'orthanc-storage'),
      IndexDirectory: path.join(workDir, 'orthanc-index'),
      HttpPort: httpPort,
      DicomPort: dicomPort,
      DicomAet: 'TESTPACS',
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      Plugins: [],
      DicomModalities: { bonescan: [platform.aeTitle, '127.0.0.1', platform.port] },
    }),
  );
  const child = spawn('Orthanc', [configFile], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${httpPort}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited with code ${child.exitCode} at start-up`);
    const up = await fetch(`${url}/system`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, process: child };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  throw new Error('Orthanc did not answer on its HTTP port within 20 s');
}

(ORTHANC ? describe : describe.skip)('a PACS forwarding to the platform', () => {
  let harness: IngestHarness;
  let orthanc: { url: string; process: ChildProcess };

  beforeAll(async () => {
    harness = await startIngestHarness();
    orthanc = await startOrthanc(harness.workDir, { aeTitle: harness.aeTitle, port: harness.receiver.port });
  });
  afterAll(async () => {
    if (orthanc) {
      const exited = new Promise((resolve) => orthanc.process.once('exit', resolve));
      orthanc.process.kill('SIGTERM');
      await exited;
    }
    await harness?.close();
  });

  it('Orthanc C-STOREs a study to the platform, which files it as a queued scan', async () => {
    const scan = phantomScanFiles({ seed: 701, layout: 'single-frame', transferSyntax: 'jpeg-ls-lossless' });
    let studyId = '';
    for (const file of scan.files) {
      const uploaded = await fetch(`${orthanc.url}/instances`, { method: 'POST', body: Buffer.from(file), headers: { 'content-type': 'application/dicom' } });
      expect(uploaded.status).toBe(200);
      studyId = ((await uploaded.json()) as { ParentStudy: string }).ParentStudy;
    }
    const echo = await fetch(`${orthanc.url}/modalities/bonescan/echo`, { method: 'POST', body: '{}' });
    expect(echo.status).toBe(200);
    const forwarded = await fetch(`${orthanc.url}/modalities/bonescan/store`, {
      method: 'POST',
      body: JSON.stringify({ Resources: [studyId], Synchronous: true }),
    });
    expect(forwarded.status).toBe(200);
    expect(await forwarded.json()).toMatchObject({ InstancesCount: 2, FailedInstancesCount: 0 });

    const rows = await harness.api.db.dataSource.query(
      `SELECT s.status, s.site, count(v.id)::int AS views FROM scans s JOIN scan_views v ON v.scan_id = s.id WHERE s.study_instance_uid = $1 GROUP BY s.id`,
      [scan.studyInstanceUid],
    );
    expect(rows).toEqual([{ status: 'QUEUED', site: 'Centre A', views: 2 }]);
  });
});
