/**
 * The whole path of a scan across services: DICOM objects sent by STOW-RS → api ingest (blobs, scan, job in one
 * transaction) → an inference worker process (prediction, Grad-CAM, hotspots) → NOTIFY → the GraphQL
 * subscription a portal listens on.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { phantomScanFiles } from '../../services/api/src/ingest/testing/bone-scan-files';
import type { IngestHarness } from '../../services/api/src/ingest/testing/ingest-harness';
import { removeTemporaryDirs, temporaryDir, writeUntrainedModelVersion } from '../../services/inference/src/worker/testing/fixtures';
import { waitFor, type WorkerProcess } from '../../services/inference/src/worker/testing/worker-process';
import { startPredictingStack } from '../support/predicting-stack';

// A real worker process on a CPU shared with other work: a generous limit, so a slow machine is not a failure.
jest.setTimeout(10 * 60_000);

interface ScanUpdate {
  id: string;
  status: string;
  aiLabel: string | null;
  prediction: { label: string; heatmapBlobKey: string | null; hotspots: Array<{ view: string; region: string }> } | null;
}

describe('from DICOM to a live AI result', () => {
  let harness: IngestHarness;
  let worker: WorkerProcess;
  let client: Client;

  beforeAll(async () => {
    // Threshold 0: every call is MBD, so each scan takes the positive path with its Grad-CAM.
    const modelDir = await writeUntrainedModelVersion(temporaryDir('model'), { threshold: 0 });
    ({ harness, worker } = await startPredictingStack(modelDir));
  });
  afterAll(async () => {
    await client?.dispose();
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await harness?.close();
    removeTemporaryDirs();
  });

  it('shows each stored scan to a subscribed reader as PREDICTED, with its heat map and hotspots', async () => {
    const { session } = await harness.api.signInAs('CLINICIAN');
    client = createClient({
      url: `${harness.api.app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${session}` },
    });
    const updates: ScanUpdate[] = [];
    client.subscribe<{ scanUpdated: ScanUpdate }>(
      { query: `subscription { scanUpdated { id status aiLabel prediction { label heatmapBlobKey hotspots { view region } } } }` },
      {
        next: ({ data }) => data && updates.push(data.scanUpdated),
        error: (error) => updates.push({ id: `error: ${JSON.stringify(error)}` } as ScanUpdate),
        complete: () => undefined,
      },
    );

    const token = await harness.tokenWith(['scans:write']);
    const sent = [phantomScanFiles({ seed: 501 }), phantomScanFiles({ seed: 502, layout: 'single-frame' })];
    for (const scan of sent) expect((await harness.stow(scan.files, token)).status).toBe(200);
    const ids: string[] = (
      await harness.api.db.dataSource.query(`SELECT id FROM scans WHERE study_instance_uid = ANY($1)`, [sent.map((scan) => scan.studyInstanceUid)])
    ).map((row: { id: string }) => row.id);
    expect(ids).toHaveLength(2);

    await waitFor('both scans announced', async () => (ids.every((id) => updates.some((u) => u.id === id)) ? true : undefined));
    for (const id of ids) {
      const update = updates.find((u) => u.id === id)!;
      expect(update).toMatchObject({
        status: 'PREDICTED',
        aiLabel: 'MBD',
        prediction: { label: 'MBD', heatmapBlobKey: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      expect(update.prediction!.hotspots.length).toBeGreaterThan(0);
    }
    const [{ n }] = await harness.api.db.dataSource.query(`SELECT count(*)::int AS n FROM predictions WHERE scan_id = ANY($1)`, [ids]);
    expect(n).toBe(2);
  });
});
