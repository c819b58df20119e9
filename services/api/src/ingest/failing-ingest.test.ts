import path from 'node:path';
import { importFolder } from './folder-import';
import { badBoneScanObjects } from '@bonescan/dicom';
import { phantomScanFiles } from './testing/bone-scan-files';
import { hasProgram, run, startIngestHarness, type IngestHarness } from './testing/ingest-harness';

/** The shared bad objects; all but the last of each are its valid partners, stored first. */
const CASES = badBoneScanObjects().map(({ name, code, objects }) => ({ name, code, before: objects.slice(0, -1), bad: objects[objects.length - 1] }));
type BadObjectCase = (typeof CASES)[number];
// DCMTK's storescu refuses to send these itself (it cannot read them as datasets), so they never reach C-STORE.
const UNSENDABLE_BY_STORESCU = new Set(['NOT_DICOM', 'TRUNCATED']);
const DCMTK = hasProgram('storescu');
// storescu proposes uncompressed syntaxes unless told otherwise, and these files cannot be converted to them.
const PROPOSAL: Record<string, string> = { CORRUPT_PIXEL_DATA: '--propose-rle', UNSUPPORTED_TRANSFER_SYNTAX: '--propose-mpeg2' };
/** A refusal names its code, then says in words what was wrong. */
const refusal = (code: string) => new RegExp(`^${code}: .{12,}`);

describe('DICOM ingest refuses bad objects and stores nothing of them', () => {
  let harness: IngestHarness;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    harness = await startIngestHarness();
    writer = await harness.tokenWith(['scans:write']);
    reader = await harness.tokenWith(['scans:read']);
    for (const c of CASES) for (const file of c.before) await harness.ingest.store(file, { path: 'IMPORT' });
  });
  afterAll(() => harness.close());

  /** Sends the bad object and proves that the database and the blob store are exactly as before. */
  async function refusedWithoutTrace(c: BadObjectCase, send: () => Promise<void>): Promise<void> {
    const before = await harness.snapshot();
    await send();
    expect(await harness.snapshot()).toEqual(before);
  }

  describe.each(CASES)('$name', (c) => {
    it('STOW-RS answers 409 with the failure and its reason in JSON', async () => {
      await refusedWithoutTrace(c, async () => {
        const { status, body } = await harness.stow([c.bad], writer);
        expect(status).toBe(409);
        const [failure] = body['00081198'].Value;
        expect(failure['00081197'].Value[0]).toBeGreaterThan(0);
        expect(failure['00000902'].Value[0]).toMatch(refusal(c.code));
      });
    });

    it('folder import reports the file with its reason and goes on with the rest', async () => {
      const folder = path.join(harness.workDir, `import-${c.name.replace(/\W+/g, '-')}`);
      harness.writeFile(path.relative(harness.workDir, path.join(folder, 'bad.dcm')), c.bad);
      await refusedWithoutTrace(c, async () => {
        const summary = await importFolder(folder, harness.ingest);
        expect(summary).toMatchObject({ files: 1, stored: 0, refused: [{ file: 'bad.dcm' }] });
        expect(summary.refused[0].reason).toMatch(refusal(c.code));
      });
    });

    (DCMTK && !UNSENDABLE_BY_STORESCU.has(c.code) ? it : it.skip)('C-STORE answers a failure status with an Error Comment', async () => {
      const file = harness.writeFile(`c-store/${c.name.replace(/\W+/g, '-')}.dcm`, c.bad);
      await refusedWithoutTrace(c, async () => {
        const { stdout, stderr } = await run('storescu', [
          '-d',
          ...(PROPOSAL[c.code] ? [PROPOSAL[c.code]] : []),
          '-aec',
          harness.aeTitle,
          '127.0.0.1',
          String(harness.receiver.port),
          file,
        ]).catch((error: { stdout: string; stderr: string }) => error);
        const output = `${stdout}\n${stderr}`;
        expect(output).toMatch(/Status\s*:\s*0x(c000|0122)/i);
        expect(output).toMatch(new RegExp(`\\(0000,0902\\) LO \\[${c.code}: `));
      });
    });
  });

  it('a good file next to bad ones in a folder is still imported', async () => {
    const folder = path.join(harness.workDir, 'mixed');
    CASES.forEach((c, i) => harness.writeFile(path.relative(harness.workDir, path.join(folder, `bad-${i}.dcm`)), c.bad));
    harness.writeFile(path.relative(harness.workDir, path.join(folder, 'good.dcm')), phantomScanFiles({ seed: 590 }).files[0]);
    const summary = await importFolder(folder, harness.ingest);
    expect(summary).toMatchObject({ files: CASES.length + 1, stored: 1, scans: 1 });
    expect(summary.refused).toHaveLength(CASES.length);
  });

  it('DICOMweb turns away requests without the right credentials or with malformed bodies, in JSON', async () => {
    const good = phantomScanFiles({ seed: 591 }).files;
    await refusedWithoutTrace(CASES[0], async () => {
      expect((await harness.stow(good, reader)).status).toBe(403);
      expect((await harness.stow(good, 'bsk_not-a-real-token')).status).toBe(401);
      const notMultipart = await harness.stow(good, writer, 'application/dicom');
      expect(notMultipart).toMatchObject({ status: 415, body: { error: { code: 'BAD_REQUEST', message: expect.stringMatching(/multipart\/related/) } } });
      const noBoundary = await harness.stow(good, writer, 'multipart/related; type="application/dicom"');
      expect(noBoundary).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/boundary/) } } });
    });
    const anonymous = await fetch(`${harness.api.app.url}/dicomweb/studies`);
    expect(anonymous.status).toBe(401);
    const badDate = await fetch(`${harness.api.app.url}/dicomweb/studies?StudyDate=yesterday`, { headers: { authorization: `Bearer ${reader}` } });
    expect(badDate.status).toBe(400);
    expect(((await badDate.json()) as { error: { message: string } }).error.message).toMatch(/StudyDate/);
  });
});

describe('an object still decoding at its deadline', () => {
  let harness: IngestHarness;
  beforeAll(async () => {
    // A deadline no object can meet stands in for a forged stream that keeps a codec busy (see PreparePool).
    harness = await startIngestHarness({ INGEST_DECODE_TIMEOUT_SECONDS: '0.001' });
  });
  afterAll(() => harness.close());

  it('is refused with the reason, leaves nothing behind, and the server goes on answering', async () => {
    const writer = await harness.tokenWith(['scans:write']);
    const before = await harness.snapshot();
    const { status, body } = await harness.stow(phantomScanFiles({ seed: 901 }).files, writer);
    expect(status).toBe(409);
    expect(body['00081198'].Value[0]['00000902'].Value[0]).toMatch(/^CORRUPT_PIXEL_DATA: the object was still being decoded after 0\.001 s and was refused/);
    expect(await harness.snapshot()).toEqual(before);
    expect((await fetch(`${harness.api.app.url}/healthz`)).status).toBe(200);
  });
});
