import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore, decodePixels, encodeHeatMaps, encodePixels } from '@bonescan/blobstore';
import { seedSyntheticScans } from '@bonescan/db';
import { setTestHeatMap } from '@bonescan/db/testing';
import { ReviewsService } from '../reviews/reviews.service';
import { startTestApi, type TestApi } from '../testing/test-api';

const CREATE = `mutation($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id } }`;
const QUEUE = `query($id: ID!) { readerStudyQueue(id: $id) { cases { caseId views { id view width height } } } }`;
const READ = `mutation($input: ReaderStudyReadingInput!) { submitReaderStudyReading(input: $input) { id } }`;
const CLOSE = `mutation($id: ID!) { closeReaderStudy(id: $id) { status } }`;
const SCAN = `query($id: ID!) { scan(id: $id) { views { id } reviews { id verdict reader { name } readerStudyId } } }`;
const RESULTS = `query($id: ID!) { readerStudyResults(id: $id) { reads readers { reader { id } } readings { reader { id } } } }`;

let api: TestApi;
let blobRoot: string;
let lead: string;
let scanIds: string[];
/** The AP pixels planted for every scan: what a case's image must serve. */
const pixels = Float32Array.from({ length: 256 * 1024 }, (_, i) => (i % 613) / 9);

beforeAll(async () => {
  blobRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'blinded-study-'));
  api = await startTestApi({ env: { BLOB_DIR: blobRoot } });
  lead = (await api.signInAs('LEAD')).session;
  const model = await api.createModelVersion({ status: 'ACTIVE' });
  await seedSyntheticScans(api.db.dataSource, { count: 2, modelVersionId: model.id });
  const key = await new BlobStore(blobRoot).put(encodePixels(pixels));
  await api.db.dataSource.query(`UPDATE scan_views SET pixel_blob_key = $1, width = 256, height = 1024`, [key]);
  scanIds = (await api.db.dataSource.query(`SELECT id FROM scans ORDER BY id`)).map((row: { id: string }) => row.id);
});

afterAll(async () => {
  await api.close();
  fs.rmSync(blobRoot, { recursive: true, force: true });
});

async function blindedStudy(): Promise<string> {
  const created = await api.graphql(CREATE, { input: { name: `Blinded ${Math.random()}`, mode: 'BLINDED', scanIds } }, lead);
  expect(created.errors).toBeUndefined();
  return created.data!.createReaderStudy.id;
}

/** A reader reads every case of the study; returns the case ids, in the reader's order, with their images. */
async function readAll(studyId: string, session: string): Promise<Array<{ caseId: string; views: Array<{ id: string; view: string }> }>> {
  const cases = (await api.graphql(QUEUE, { id: studyId }, session)).data!.readerStudyQueue.cases;
  for (const c of cases) {
    const read = await api.graphql(READ, { input: { caseId: c.caseId, verdict: 'MBD', confidence: 4, timeSpentMs: 5000 } }, session);
    expect(read.errors).toBeUndefined();
  }
  return cases;
}

describe('a blinded study stays blind', () => {
  it('Scan.reviews shows a study reading to its reader, to leads once the study is closed, and to no one else', async () => {
    const studyId = await blindedStudy();
    const [first, second] = [await api.signInAs('CLINICIAN'), await api.signInAs('CLINICIAN')];
    await readAll(studyId, first.session);
    const readersNamed = async (session: string) =>
      ((await api.graphql(SCAN, { id: scanIds[0] }, session)).data!.scan.reviews as Array<{ reader: { name: string }; readerStudyId: string }>)
        .filter((review) => review.readerStudyId === studyId)
        .map((review) => review.reader.name);

    expect(await readersNamed(first.session)).toEqual([first.user.name]);
    expect(await readersNamed(second.session)).toEqual([]);
    expect(await readersNamed(lead)).toEqual([]);
    expect((await api.graphql(CLOSE, { id: studyId }, lead)).errors).toBeUndefined();
    expect(await readersNamed(second.session)).toEqual([]);
    expect(await readersNamed(lead)).toEqual([first.user.name]);
  });

  it('a case’s images carry case-scoped ids, not the scan’s view ids, and their pixels are served and audited', async () => {
    const studyId = await blindedStudy();
    const reader = await api.signInAs('CLINICIAN');
    const cases = (await api.graphql(QUEUE, { id: studyId }, reader.session)).data!.readerStudyQueue.cases as Array<{
      caseId: string;
      views: Array<{ id: string; view: string }>;
    }>;
    const scanViewIds: string[] = (await api.db.dataSource.query(`SELECT id FROM scan_views`)).map((row: { id: string }) => row.id);
    const caseViewIds = cases.flatMap((c) => c.views.map((view) => view.id));
    expect(caseViewIds).toHaveLength(4);
    expect(caseViewIds.filter((id) => scanViewIds.some((scanViewId) => id.includes(scanViewId)))).toEqual([]);
    // Nothing in the worklist names a case image: the ids lead nowhere but to the case.
    const worklist = await api.graphql(`{ worklist { edges { node { id views { id } } } } }`, {}, reader.session);
    expect(JSON.stringify(worklist.data)).not.toMatch(new RegExp(cases.map((c) => c.caseId).join('|')));

    const ap = cases[0].views.find((view) => view.view === 'AP')!;
    const before = await audited('view.pixels.read');
    const response = await fetch(`${api.app.url}/reader-study-case-views/${ap.id}/pixels`, { headers: { authorization: `Bearer ${reader.session}` } });
    expect(response.status).toBe(200);
    expect(decodePixels(new Uint8Array(await response.arrayBuffer()))).toEqual(pixels);
    expect(await audited('view.pixels.read')).toBe(before + 1);

    const unknown = await fetch(`${api.app.url}/reader-study-case-views/00000000-0000-4000-8000-000000000000.AP/pixels`, {
      headers: { authorization: `Bearer ${reader.session}` },
    });
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: 'No study case image 00000000-0000-4000-8000-000000000000.AP' }]);
    const scanView = await fetch(`${api.app.url}/reader-study-case-views/${scanViewIds[0]}/pixels`, { headers: { authorization: `Bearer ${reader.session}` } });
    expect(scanView.status).toBe(400);
  });

  it('an aided study’s AI result is named through the case too; its heat map is served and audited, and a blinded case has none', async () => {
    const apMap = Float32Array.from({ length: 256 * 512 }, (_, i) => (i % 89) / 88);
    const blobs = new BlobStore(blobRoot);
    const predictionIds: string[] = (await api.db.dataSource.query(`SELECT id FROM predictions`)).map((row: { id: string }) => row.id);
    for (const id of predictionIds)
      await setTestHeatMap(api.db.dataSource, id, await blobs.put(encodeHeatMaps({ AP: apMap, PA: new Float32Array(256 * 512) })));
    const created = await api.graphql(CREATE, { input: { name: 'Aided', mode: 'AIDED', scanIds } }, lead);
    const reader = await api.signInAs('CLINICIAN');
    const aided = await api.graphql(
      `query($id: ID!) { readerStudyQueue(id: $id) { cases { caseId prediction { id probability } } } }`,
      { id: created.data!.createReaderStudy.id },
      reader.session,
    );
    const [first] = aided.data!.readerStudyQueue.cases as Array<{ caseId: string; prediction: { id: string; probability: number } }>;
    expect(first.prediction.id).toBe(`${first.caseId}.AI`);
    expect(predictionIds.some((id) => first.prediction.id.includes(id))).toBe(false);

    const before = await audited('prediction.heatmap.read');
    const response = await fetch(`${api.app.url}/reader-study-case-heatmaps/${first.prediction.id}/AP`, {
      headers: { authorization: `Bearer ${reader.session}` },
    });
    expect(response.status).toBe(200);
    expect(decodePixels(new Uint8Array(await response.arrayBuffer()))).toEqual(apMap);
    expect(await audited('prediction.heatmap.read')).toBe(before + 1);

    const blinded = (await api.graphql(QUEUE, { id: await blindedStudy() }, reader.session)).data!.readerStudyQueue.cases[0].caseId;
    const refused = await fetch(`${api.app.url}/reader-study-case-heatmaps/${blinded}.AI/AP`, { headers: { authorization: `Bearer ${reader.session}` } });
    expect([refused.status, await refused.json()]).toEqual([404, { error: `No AI result is shown for study case ${blinded}` }]);
  });

  it('results, with every reader’s readings, wait for the study to close', async () => {
    const studyId = await blindedStudy();
    await readAll(studyId, (await api.signInAs('CLINICIAN')).session);
    const open = await api.graphql(RESULTS, { id: studyId }, lead);
    expect(open.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringMatching(/is still open: its readings stay blind until a lead closes it$/),
    });
    expect(open.data).toBeNull();
  });

  it('a machine account’s reading is no reader’s in the results', async () => {
    const studyId = await blindedStudy();
    const clinician = await api.signInAs('CLINICIAN');
    await readAll(studyId, clinician.session);
    // As an integrator token could file one before machine accounts lost reviews:write.
    const integrator = await api.signInAs('INTEGRATOR');
    await new ReviewsService(api.db.dataSource).submit(integrator.user.id, {
      scanId: scanIds[0],
      verdict: 'NO_MBD',
      confidence: 5,
      timeSpentMs: 1,
      aiVisible: false,
      readerStudyId: studyId,
    });
    await api.graphql(CLOSE, { id: studyId }, lead);
    const { data, errors } = await api.graphql(RESULTS, { id: studyId }, lead);
    expect(errors).toBeUndefined();
    expect(data!.readerStudyResults).toEqual({
      reads: 2,
      readers: [{ reader: { id: clinician.user.id } }],
      readings: [{ reader: { id: clinician.user.id } }, { reader: { id: clinician.user.id } }],
    });
  });
});

describe('ground truth only to those who measure against it', () => {
  it('a clinician is refused a scan’s ground truth; a lead sees it', async () => {
    const recorder = await api.signInAs('LEAD');
    const record = await api.graphql(
      `mutation($input: RecordGroundTruthInput!) { recordGroundTruth(input: $input) { mbd } }`,
      { input: { scanId: scanIds[1], mbd: true, source: 'BIOPSY', diagnosedOn: '2026-01-02' } },
      recorder.session,
    );
    expect(record.errors).toBeUndefined();
    const truthOf = (session: string) => api.graphql(`query($id: ID!) { scan(id: $id) { id groundTruth { mbd source } } }`, { id: scanIds[1] }, session);

    const clinician = await truthOf((await api.signInAs('CLINICIAN')).session);
    expect(clinician.data!.scan).toEqual({ id: scanIds[1], groundTruth: null });
    expect(clinician.errors?.[0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
      message: 'analytics:read is not allowed for the CLINICIAN role',
      path: ['scan', 'groundTruth'],
    });
    expect((await truthOf(lead)).data!.scan.groundTruth).toEqual({ mbd: true, source: 'BIOPSY' });
  });
});

async function audited(action: string): Promise<number> {
  const [{ count }] = await api.db.dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE action = $1`, [action]);
  return count;
}
