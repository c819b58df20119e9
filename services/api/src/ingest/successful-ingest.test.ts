import path from 'node:path';
import { decodePixels } from '@bonescan/blobstore';
import { TRANSFER_SYNTAXES, TRANSFER_SYNTAX_NAMES } from '@bonescan/dicom';
import { PREDICT_QUEUE } from '@bonescan/queue';
import { importFolder } from './folder-import';
import { phantomScanFiles } from './testing/bone-scan-files';
import { hasProgram, run, startIngestHarness, type IngestHarness } from './testing/ingest-harness';

const WORKLIST = `query { worklist(first: 50, sort: ARRIVAL) { edges { node { id status singleView patient { patientId } views { view width height } } } } }`;
const DCMTK = hasProgram('storescu') && hasProgram('echoscu');

describe('DICOM ingest', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness({ PAIRING_WAIT_SECONDS: '1' });
  });
  afterAll(() => harness.close());

  const scanOf = async (studyInstanceUid: string) => {
    const rows = await harness.api.db.dataSource.query('SELECT id, status, single_view FROM scans WHERE study_instance_uid = $1', [studyInstanceUid]);
    expect(rows).toHaveLength(1);
    return rows[0] as { id: string; status: string; single_view: boolean };
  };
  const jobsFor = async (scanId: string): Promise<number> =>
    (await harness.api.db.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'scanId' = $2`, [PREDICT_QUEUE, scanId]))[0].n;

  (DCMTK ? it : it.skip)('answers C-ECHO and files a C-STORE from DCMTK as a queued scan, views exact, in the worklist', async () => {
    const echo = await run('echoscu', ['-aec', harness.aeTitle, '127.0.0.1', String(harness.receiver.port)]);
    expect(echo.stderr).not.toMatch(/E:/);

    const scan = phantomScanFiles({ seed: 101 });
    const file = harness.writeFile('c-store/scan.dcm', scan.files[0]);
    await run('storescu', ['-aet', 'GAMMA_CAM_1', '-aec', harness.aeTitle, '127.0.0.1', String(harness.receiver.port), file]);

    const row = await scanOf(scan.studyInstanceUid);
    expect(row.status).toBe('QUEUED');
    expect(await jobsFor(row.id)).toBe(1);
    const views: Array<{ view: 'AP' | 'PA'; pixel_blob_key: string }> = await harness.api.db.dataSource.query(
      'SELECT view, pixel_blob_key FROM scan_views WHERE scan_id = $1',
      [row.id],
    );
    expect(views.map((v) => v.view).sort()).toEqual(['AP', 'PA']);
    for (const view of views) expect(decodePixels(await harness.ingest.blobs.get(view.pixel_blob_key))).toEqual(scan.views[view.view]);

    const { session } = await harness.api.signInAs('CLINICIAN');
    const worklist = await harness.api.graphql(WORKLIST, {}, session);
    const node = worklist.data?.worklist.edges.map((e: any) => e.node).find((n: any) => n.id === row.id);
    expect(node).toMatchObject({ status: 'QUEUED', singleView: false, patient: { patientId: scan.patientId } });
    expect(node.views).toHaveLength(2);
  });

  it.each(TRANSFER_SYNTAX_NAMES)(
    'round-trips a %s scan through STOW-RS: stored views equal the generated pixels (close for lossy syntaxes)',
    async (transferSyntax) => {
      const scan = phantomScanFiles({ seed: 200 + TRANSFER_SYNTAX_NAMES.indexOf(transferSyntax), transferSyntax });
      const { status } = await harness.stow(scan.files, await harness.tokenWith(['scans:write']));
      expect(status).toBe(200);
      const row = await scanOf(scan.studyInstanceUid);
      const views: Array<{ view: 'AP' | 'PA'; pixel_blob_key: string }> = await harness.api.db.dataSource.query(
        'SELECT view, pixel_blob_key FROM scan_views WHERE scan_id = $1',
        [row.id],
      );
      expect(views).toHaveLength(2);
      for (const view of views) {
        const stored = decodePixels(await harness.ingest.blobs.get(view.pixel_blob_key));
        const generated = scan.views[view.view];
        if (!TRANSFER_SYNTAXES[transferSyntax].lossy) {
          expect(stored).toEqual(generated);
        } else {
          const peak = generated.reduce((max, value) => Math.max(max, value), 0);
          const worst = stored.reduce((max, value, i) => Math.max(max, Math.abs(value - generated[i])), 0);
          expect(worst).toBeLessThan(0.1 * peak);
        }
      }
    },
  );

  it('files the same object once, whether sent by C-STORE, STOW-RS or folder import, however often', async () => {
    const scan = phantomScanFiles({ seed: 102 });
    const token = await harness.tokenWith(['scans:write']);
    const first = await harness.stow(scan.files, token);
    expect(first.status).toBe(200);
    const again = await harness.stow(scan.files, token);
    expect(again.status).toBe(200);
    const folder = path.dirname(harness.writeFile('import-twice/scan.dcm', scan.files[0]));
    harness.writeFile('import-twice/copy/scan-again.dcm', scan.files[0]);
    const imported = await importFolder(folder, harness.ingest);
    expect(imported).toMatchObject({ files: 2, stored: 0, duplicates: 2, refused: [], scans: 1 });
    if (DCMTK) await run('storescu', ['-aec', harness.aeTitle, '127.0.0.1', String(harness.receiver.port), path.join(folder, 'scan.dcm')]);

    const row = await scanOf(scan.studyInstanceUid);
    const [{ n: instances }] = await harness.api.db.dataSource.query('SELECT count(*)::int AS n FROM dicom_instances WHERE scan_id = $1', [row.id]);
    expect(instances).toBe(1);
    expect(await jobsFor(row.id)).toBe(1);
  });

  it('files one scan when copies of an object and both views of a study arrive at the same moment', async () => {
    const multiframe = phantomScanFiles({ seed: 103 });
    const results = await Promise.all(Array.from({ length: 6 }, () => harness.ingest.store(multiframe.files[0], { path: 'STOW-RS' })));
    expect(results.filter((r) => r.outcome === 'STORED')).toHaveLength(1);
    expect(new Set(results.map((r) => r.scanId)).size).toBe(1);

    const pair = phantomScanFiles({ seed: 104, layout: 'single-frame' });
    await Promise.all([...pair.files, ...pair.files].map((file) => harness.ingest.store(file, { path: 'C-STORE' })));
    const row = await scanOf(pair.studyInstanceUid);
    expect(row).toMatchObject({ status: 'QUEUED', single_view: false });
    expect(await jobsFor(row.id)).toBe(1);
    // The copies that lost were prepared (blobs staged) like the winner; nothing of them is left.
    expect((await harness.snapshot()).stagedLeftovers).toBe(0);
  });

  it('keeps a lone view waiting for its partner, pairs it when the partner comes, and queues it single-view after the wait', async () => {
    const paired = phantomScanFiles({ seed: 105, layout: 'single-frame' });
    const [anterior, posterior] = paired.files;
    expect(await harness.ingest.store(anterior, { path: 'IMPORT' })).toMatchObject({ scanStatus: 'RECEIVED', scanViews: ['AP'] });
    expect(await harness.ingest.store(posterior, { path: 'IMPORT' })).toMatchObject({ scanStatus: 'QUEUED', scanViews: ['AP', 'PA'] });

    const lone = phantomScanFiles({ seed: 106, layout: 'single-frame' });
    await harness.ingest.store(lone.files[1], { path: 'IMPORT' });
    const waiting = await scanOf(lone.studyInstanceUid);
    expect(waiting.status).toBe('RECEIVED');
    expect(await jobsFor(waiting.id)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await harness.ingest.queueLoneViews();
    // The background sweep may hold the row (SKIP LOCKED) and commit a moment later: wait for its commit.
    for (let tries = 0; tries < 50 && (await scanOf(lone.studyInstanceUid)).status === 'RECEIVED'; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await scanOf(lone.studyInstanceUid)).toMatchObject({ status: 'QUEUED', single_view: true });
    expect(await jobsFor(waiting.id)).toBe(1);
  });

  it('finds stored studies by QIDO-RS and returns the original objects, their metadata and frames by WADO-RS', async () => {
    const scan = phantomScanFiles({ seed: 107, layout: 'single-frame', transferSyntax: 'rle' });
    await harness.stow(scan.files, await harness.tokenWith(['scans:write']));
    const reader = await harness.tokenWith(['scans:read']);
    const get = (url: string) => fetch(`${harness.api.app.url}/dicomweb${url}`, { headers: { authorization: `Bearer ${reader}` } });
    const json = async (url: string) => (await (await get(url)).json()) as Array<Record<string, { Value: any[] }>>;

    const studies = await json(`/studies?PatientID=${scan.patientId}`);
    expect(studies).toHaveLength(1);
    expect(studies[0]['0020000D'].Value).toEqual([scan.studyInstanceUid]);
    expect(studies[0]['00201208'].Value).toEqual([2]);
    const series = await json(`/studies/${scan.studyInstanceUid}/series`);
    expect(series[0]['00080060'].Value).toEqual(['NM']);
    const instances = await json(`/studies/${scan.studyInstanceUid}/instances`);
    expect(instances).toHaveLength(2);

    const instanceUrl = new URL(instances[0]['00081190'].Value[0]).pathname.replace('/dicomweb', '');
    const retrieved = await get(instanceUrl);
    expect(retrieved.headers.get('content-type')).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    const body = Buffer.from(await retrieved.arrayBuffer());
    const original = scan.files.find((file) => Buffer.from(file).includes(Buffer.from(instances[0]['00080018'].Value[0])));
    expect(body.includes(Buffer.from(original as Uint8Array))).toBe(true);

    const [metadata] = await json(`${instanceUrl}/metadata`);
    expect(metadata['00100020'].Value).toEqual([scan.patientId]);
    expect(metadata['00083002'].Value).toEqual(['1.2.840.10008.1.2.5']);
    const rleFrame = await get(`${instanceUrl}/frames/1`);
    expect(rleFrame.headers.get('content-type')).toMatch(/type="application\/octet-stream"/);
    const rleBody = Buffer.from(await rleFrame.arrayBuffer());
    const segments = rleBody.readUInt32LE(rleBody.indexOf('\r\n\r\n') + 4);
    expect(segments).toBe(2); // RLE header of a 16-bit frame: high and low byte segments
    expect((await get(`${instanceUrl}/frames/2`)).status).toBe(404);

    const multiframe = phantomScanFiles({ seed: 108 });
    await harness.stow(multiframe.files, await harness.tokenWith(['scans:write']));
    const [instance] = await json(`/studies/${multiframe.studyInstanceUid}/instances`);
    const frames = await get(`${new URL(instance['00081190'].Value[0]).pathname.replace('/dicomweb', '')}/frames/2`);
    const frameBody = Buffer.from(await frames.arrayBuffer());
    const samples = frameBody.subarray(frameBody.indexOf('\r\n\r\n') + 4, frameBody.lastIndexOf('\r\n--'));
    expect(Array.from(new Uint16Array(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength)))).toEqual(
      Array.from(multiframe.views.PA),
    );

    const [{ n: audited }] = await harness.api.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'dicomweb.read'`);
    expect(audited).toBeGreaterThan(0);
  });
});
