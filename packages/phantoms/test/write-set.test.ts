import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { pairViews, readBoneScan } from '@bonescan/dicom';
import { LABELS_FILE, writePhantomSet } from '../src';

describe('successful: writePhantomSet writes DICOM, labels.csv and lesion masks', () => {
  let folder: string;
  beforeAll(() => (folder = mkdtempSync(path.join(tmpdir(), 'bonescan-phantoms-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('writes multi-frame objects with exactly the requested prevalence and masks that match the labels', async () => {
    const out = path.join(folder, 'multiframe');
    const progress: number[] = [];
    await writePhantomSet({ n: 5, prevalence: 0.4, centre: 'B', out, seed: 7, onProgress: (done) => progress.push(done) });
    const [header, ...rows] = readFileSync(path.join(out, LABELS_FILE), 'utf8').trim().split('\n');
    expect(header).toBe('case_id,file,mbd,findings,centre');
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(rows).toHaveLength(5);
    expect(rows.filter((row) => row.split(',')[2] === '1')).toHaveLength(2);
    for (const row of rows) {
      const [caseId, file, mbd, findings, centre] = row.split(',');
      expect(centre).toBe('B');
      if (mbd === '1') expect(findings).toMatch(/METASTASIS|SUPERSCAN/);
      const scan = readBoneScan(readFileSync(path.join(out, file)));
      expect(scan.patient.id).toBe(`PHANTOM-${caseId}`);
      expect(scan.manufacturer).toBe('GE MEDICAL SYSTEMS');
      expect(scan.views.map((v) => v.view)).toEqual(['AP', 'PA']);
      const mask = PNG.sync.read(readFileSync(path.join(out, 'masks', `${caseId}-AP.png`)));
      const values = new Set<number>();
      for (let i = 0; i < mask.data.length; i += 4) values.add(mask.data[i]);
      expect([...values].every((v) => v <= 2)).toBe(true);
      if (findings.includes('METASTASIS')) expect(values.has(1)).toBe(true);
      if (mbd === '0') expect(values.has(1)).toBe(false);
    }
  });

  it('is byte-for-byte reproducible from its seed, and writes single-frame pairs as "a.dcm;b.dcm"', async () => {
    await writePhantomSet({ n: 2, prevalence: 0.5, centre: 'A', out: path.join(folder, 'one'), seed: 3, layout: 'single-frame', transferSyntax: 'rle' });
    await writePhantomSet({ n: 2, prevalence: 0.5, centre: 'A', out: path.join(folder, 'two'), seed: 3, layout: 'single-frame', transferSyntax: 'rle' });
    const labels = readFileSync(path.join(folder, 'one', LABELS_FILE), 'utf8');
    expect(labels).toBe(readFileSync(path.join(folder, 'two', LABELS_FILE), 'utf8'));
    const files = labels.trim().split('\n')[1].split(',')[1].split(';');
    expect(files).toHaveLength(2);
    for (const file of files) expect(readFileSync(path.join(folder, 'one', file)).equals(readFileSync(path.join(folder, 'two', file)))).toBe(true);
    const paired = pairViews(files.map((file) => readBoneScan(readFileSync(path.join(folder, 'one', file)))));
    expect(Object.keys(paired).sort()).toEqual(['AP', 'PA']);
  });

  it('refuses impossible options before writing anything', async () => {
    const out = path.join(folder, 'refused');
    await expect(writePhantomSet({ n: 0, prevalence: 0.3, centre: 'A', out })).rejects.toThrow('n must be a positive whole number');
    await expect(writePhantomSet({ n: 3, prevalence: 1.5, centre: 'A', out })).rejects.toThrow('prevalence must be between 0 and 1');
    expect(() => readFileSync(path.join(out, LABELS_FILE))).toThrow();
  });
});
