import { phantomScanFiles } from './testing/bone-scan-files';
import { startIngestHarness, type IngestHarness } from './testing/ingest-harness';

const CASES = 400;
const PARTS_PER_REQUEST = 20;

/** Seeded mutations of a valid object: flipped bytes, cut tails, zeroed runs. Deterministic, so a failure replays. */
function mutate(original: Uint8Array, seed: number): Uint8Array {
  let state = seed * 2654435761;
  const random = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const bytes = original.slice();
  const kind = seed % 3;
  if (kind === 0) for (let i = 0; i < 1 + Math.floor(random() * 8); i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
  if (kind === 1) return bytes.slice(0, Math.floor(random() * bytes.length));
  if (kind === 2) bytes.fill(0, Math.floor(random() * bytes.length), Math.floor(random() * bytes.length));
  return bytes;
}

describe('STOW-RS under mutated objects', () => {
  let harness: IngestHarness;
  beforeAll(async () => {
    harness = await startIngestHarness();
  });
  afterAll(() => harness.close());

  it(`answers each of ${CASES} mutated objects with a store response, never a server error, and files only whole scans`, async () => {
    const originals = [
      phantomScanFiles({ seed: 801 }).files[0],
      phantomScanFiles({ seed: 802, transferSyntax: 'rle' }).files[0],
      ...phantomScanFiles({ seed: 803, layout: 'single-frame', transferSyntax: 'jpeg-ls-lossless' }).files,
    ];
    const token = await harness.tokenWith(['scans:write']);
    for (let first = 0; first < CASES; first += PARTS_PER_REQUEST) {
      const batch = Array.from({ length: PARTS_PER_REQUEST }, (_, i) => mutate(originals[(first + i) % originals.length], first + i + 1));
      const { status, body } = await harness.stow(batch, token);
      expect([200, 202, 409]).toContain(status);
      const answered = (body['00081198']?.Value.length ?? 0) + (body['00081199']?.Value.length ?? 0);
      expect(answered).toBe(PARTS_PER_REQUEST);
    }
    expect((await fetch(`${harness.api.app.url}/healthz`)).status).toBe(200);
    const broken = await harness.api.db.dataSource.query(
      `SELECT s.id FROM scans s WHERE NOT EXISTS (SELECT 1 FROM scan_views v WHERE v.scan_id = s.id) OR NOT EXISTS (SELECT 1 FROM dicom_instances i WHERE i.scan_id = s.id)`,
    );
    expect(broken).toEqual([]);
  });
});
