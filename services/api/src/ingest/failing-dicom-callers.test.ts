import { phantomScanFiles } from './testing/bone-scan-files';
import { hasProgram, run, startIngestHarness, type IngestHarness } from './testing/ingest-harness';

const DCMTK = hasProgram('storescu');

/** The site's list: a PACS from this machine's loopback address, a modality only from an address the test never uses. */
const ALLOWED = 'PACS1@127.0.0.1,MODALITY2@10.255.255.1';

(DCMTK ? describe : describe.skip)('C-STORE senders not on DICOM_ALLOWED_CALLERS', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness({ DICOM_ALLOWED_CALLERS: ALLOWED });
  });
  afterAll(() => harness.close());

  const send = async (callingAeTitle: string, seed: number) => {
    const file = harness.writeFile(`callers/${callingAeTitle}-${seed}.dcm`, phantomScanFiles({ seed }).files[0]);
    return run('storescu', ['-aet', callingAeTitle, '-aec', harness.aeTitle, '127.0.0.1', String(harness.receiver.port), file]).then(
      (done) => ({ code: 0, stderr: done.stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
  };

  it.each([
    ['an AE title not on the list', 'STRANGER', 201],
    ['a listed AE title calling from another address', 'MODALITY2', 202],
  ])('refuses %s with A-ASSOCIATE-RJ "calling AE title not recognized", storing nothing', async (_case, callingAeTitle, seed) => {
    const before = await harness.snapshot();
    const sent = await send(callingAeTitle, seed);
    expect(sent.code).not.toBe(0);
    expect(sent.stderr).toMatch(/Association Rejected/);
    expect(sent.stderr).toMatch(/Reason: Calling AE Title Not Recognized/);
    expect(await harness.snapshot()).toEqual(before);
  });

  it('accepts a listed AE title from its address and files the scan', async () => {
    const before = await harness.snapshot();
    const sent = await send('PACS1', 203);
    expect(sent).toEqual({ code: 0, stderr: expect.not.stringMatching(/E:/) });
    const after = await harness.snapshot();
    expect(after.instances).toBe(before.instances + 1);
  });
});
