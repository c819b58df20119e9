import http from 'node:http';
import { phantomScanFiles } from '../ingest/testing/bone-scan-files';
import { startIngestHarness, type IngestHarness } from '../ingest/testing/ingest-harness';

const PUBLIC_API_URL = 'https://pacs-gateway.hospital.test/bonescan';
const BOUNDARY = 'held-stow-boundary';

/** A raw HTTP request, so that Host and a half-sent body are the test's to choose. */
function send(url: string, options: http.RequestOptions & { body?: Buffer }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('DICOMweb refuses what a caller should not get, with a 4xx or 503 that says why', () => {
  let harness: IngestHarness;
  let writer: string;
  let reader: string;
  const stowHeaders = (token: string) => ({
    authorization: `Bearer ${token}`,
    'content-type': `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`,
  });

  beforeAll(async () => {
    harness = await startIngestHarness({ PUBLIC_API_URL, STOW_CONCURRENT_REQUESTS: '1', STOW_MAX_MEGABYTES: '1' });
    writer = await harness.tokenWith(['scans:write']);
    reader = await harness.tokenWith(['scans:read']);
  });
  afterAll(() => harness.close());

  it('retrieve URLs name the configured public address, whatever Host the caller sends', async () => {
    const scan = phantomScanFiles({ seed: 611 });
    const body = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`),
      Buffer.from(scan.files[0]),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const stored = await send(`${harness.api.app.url}/dicomweb/studies`, { method: 'POST', headers: { ...stowHeaders(writer), host: 'evil.example' }, body });
    expect(stored.status).toBe(200);
    expect(JSON.parse(stored.body)['00081190'].Value[0]).toBe(`${PUBLIC_API_URL}/dicomweb/studies/${scan.studyInstanceUid}`);
    const found = await send(`${harness.api.app.url}/dicomweb/studies?PatientID=${scan.patientId}`, {
      headers: { authorization: `Bearer ${reader}`, host: 'evil.example' },
    });
    expect(found.body).not.toContain('evil.example');
    expect(JSON.parse(found.body)[0]['00081190'].Value[0]).toBe(`${PUBLIC_API_URL}/dicomweb/studies/${scan.studyInstanceUid}`);
  });

  it('a frame list names each frame once, and a long one is refused', async () => {
    const scan = phantomScanFiles({ seed: 612 });
    await harness.stow(scan.files, writer);
    const [instance] = JSON.parse(
      (await send(`${harness.api.app.url}/dicomweb/studies/${scan.studyInstanceUid}/instances`, { headers: { authorization: `Bearer ${reader}` } })).body,
    );
    const framesUrl = `${String(instance['00081190'].Value[0]).replace(PUBLIC_API_URL, harness.api.app.url)}/frames`;
    const repeated = await send(`${framesUrl}/1,1,1,2,1`, { headers: { authorization: `Bearer ${reader}` } });
    expect(repeated.status).toBe(200);
    // Two frames asked (1 and 2), so two parts: two opening boundaries besides the closing one.
    expect(repeated.body.split(/\r\n--[^\r\n]+\r\n/).length - 1).toBe(2);
    const flood = await send(`${framesUrl}/${Array(1000).fill(1).join(',')}`, { headers: { authorization: `Bearer ${reader}` } });
    expect(flood.status).toBe(400);
    expect(JSON.parse(flood.body).error.message).toMatch(/at most 64 frames/);
    expect((await send(`${framesUrl}/0`, { headers: { authorization: `Bearer ${reader}` } })).status).toBe(400);
  });

  it('StudyDate of a day the calendar lacks is 400, not 500', async () => {
    for (const date of ['20241399', '20240431-20240501']) {
      const answer = await send(`${harness.api.app.url}/dicomweb/studies?StudyDate=${date}`, { headers: { authorization: `Bearer ${reader}` } });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.message).toMatch(/not a calendar date/);
    }
  });

  it('a NUL character in a UID or a query value is 400, not 500', async () => {
    for (const url of ['/studies?PatientID=MRN%00', '/studies/1.2%00.3/series', '/studies/1.2.3/series/4.5/instances/6%007/frames/1']) {
      const answer = await send(`${harness.api.app.url}/dicomweb${url}`, { headers: { authorization: `Bearer ${reader}` } });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.message).toMatch(/NUL character/);
    }
  });

  it('a STOW-RS body over the limit is 413, and one more request than there is room for is 503 with Retry-After', async () => {
    const before = await harness.snapshot();
    const tooLarge = await send(`${harness.api.app.url}/dicomweb/studies`, {
      method: 'POST',
      headers: stowHeaders(writer),
      body: Buffer.alloc(2 * 1024 * 1024, 1),
    });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body).error.message).toMatch(/larger than 1 MB/);

    // One request is received slowly and holds the only slot.
    const held = http.request(`${harness.api.app.url}/dicomweb/studies`, { method: 'POST', headers: { ...stowHeaders(writer), 'content-length': '100000' } });
    held.on('error', () => undefined); // destroyed below
    held.write(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`);
    let turnedAway: Awaited<ReturnType<typeof send>> | undefined;
    for (let tries = 0; tries < 50 && turnedAway?.status !== 503; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      turnedAway = await send(`${harness.api.app.url}/dicomweb/studies`, { method: 'POST', headers: stowHeaders(writer), body: Buffer.from('x') });
    }
    expect(turnedAway?.status).toBe(503);
    expect(turnedAway?.headers['retry-after']).toBe('5');
    expect(JSON.parse(turnedAway?.body ?? '{}').error.code).toBe('BUSY');
    held.destroy();
    expect(await harness.snapshot()).toEqual(before);

    // The slot is free again once the held request is gone.
    let answer = await harness.stow(phantomScanFiles({ seed: 613 }).files, writer);
    for (let tries = 0; tries < 20 && answer.status === 503; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await harness.stow(phantomScanFiles({ seed: 613 }).files, writer);
    }
    expect(answer.status).toBe(200);
  });
});
