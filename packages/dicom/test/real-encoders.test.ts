import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCodecs, readBoneScan, TRANSFER_SYNTAXES, writeBoneScan, type TransferSyntaxName, type WriteOptions } from '../src';
import { maxAbsDifference, phantomViews, relativeRmse, viewOf } from './helpers';

// Independent encoders and decoders (DCMTK, GDCM from Debian) cross-check ours: files they compress must read back
// to the generated counts, and files we compress must be readable by them. CI installs dcmtk and libgdcm-tools.

function installed(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
}

function run(binary: string, args: string[]): void {
  const result = spawnSync(binary, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

interface Conversion {
  name: string;
  binary: string;
  args: (input: string, output: string) => string[];
  expectedUid: string;
  source?: Partial<WriteOptions>;
  lossy?: number;
}

const JPEG_LOSSLESS_PROCESS_14 = '1.2.840.10008.1.2.4.57';
const encoders: Conversion[] = [
  { name: 'DCMTK dcmconv → implicit VR LE', binary: 'dcmconv', args: (i, o) => ['+ti', i, o], expectedUid: TRANSFER_SYNTAXES['implicit-le'].uid },
  { name: 'DCMTK dcmconv → explicit VR big endian', binary: 'dcmconv', args: (i, o) => ['+tb', i, o], expectedUid: TRANSFER_SYNTAXES['explicit-be'].uid },
  { name: 'DCMTK dcmconv → deflated explicit VR LE', binary: 'dcmconv', args: (i, o) => ['+td', i, o], expectedUid: TRANSFER_SYNTAXES.deflated.uid },
  { name: 'DCMTK dcmcrle → RLE lossless', binary: 'dcmcrle', args: (i, o) => [i, o], expectedUid: TRANSFER_SYNTAXES.rle.uid },
  { name: 'DCMTK dcmcjpeg → JPEG lossless SV1', binary: 'dcmcjpeg', args: (i, o) => ['+e1', i, o], expectedUid: TRANSFER_SYNTAXES['jpeg-lossless'].uid },
  { name: 'DCMTK dcmcjpeg → JPEG lossless process 14', binary: 'dcmcjpeg', args: (i, o) => ['+el', i, o], expectedUid: JPEG_LOSSLESS_PROCESS_14 },
  {
    name: 'DCMTK dcmcjpeg → JPEG baseline (8-bit source)',
    binary: 'dcmcjpeg',
    args: (i, o) => ['+eb', '+rm', i, o],
    expectedUid: TRANSFER_SYNTAXES['jpeg-baseline'].uid,
    source: { bitsAllocated: 8 },
    lossy: 0.02,
  },
  { name: 'DCMTK dcmcjpls → JPEG-LS lossless', binary: 'dcmcjpls', args: (i, o) => ['+el', i, o], expectedUid: TRANSFER_SYNTAXES['jpeg-ls-lossless'].uid },
  {
    name: 'DCMTK dcmcjpls → JPEG-LS near-lossless (NEAR 2)',
    binary: 'dcmcjpls',
    args: (i, o) => ['+en', '+md', '2', i, o],
    expectedUid: TRANSFER_SYNTAXES['jpeg-ls-near-lossless'].uid,
    lossy: 0.01,
  },
  { name: 'GDCM gdcmconv → JPEG 2000 lossless', binary: 'gdcmconv', args: (i, o) => ['-K', i, o], expectedUid: TRANSFER_SYNTAXES['jpeg2000-lossless'].uid },
  {
    name: 'GDCM gdcmconv → JPEG 2000 lossy',
    binary: 'gdcmconv',
    args: (i, o) => ['-K', '-Y', '-r', '20', i, o],
    expectedUid: TRANSFER_SYNTAXES.jpeg2000.uid,
    lossy: 0.02,
  },
];

const decoders: { syntax: TransferSyntaxName; binary: string; args: (i: string, o: string) => string[] }[] = [
  { syntax: 'rle', binary: 'dcmdrle', args: (i, o) => [i, o] },
  { syntax: 'jpeg-lossless', binary: 'dcmdjpeg', args: (i, o) => [i, o] },
  { syntax: 'jpeg-ls-lossless', binary: 'dcmdjpls', args: (i, o) => [i, o] },
  { syntax: 'jpeg2000-lossless', binary: 'gdcmconv', args: (i, o) => ['--raw', i, o] },
  { syntax: 'explicit-be', binary: 'dcmconv', args: (i, o) => ['+te', i, o] },
  { syntax: 'deflated', binary: 'dcmconv', args: (i, o) => ['+te', i, o] },
];

describe('successful: real DICOM encoders and decoders agree with ours', () => {
  const views = phantomViews(23, false);
  const scan = { views, patient: { id: 'PHANTOM-DCMTK' } };
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'bonescan-dcmtk-'));
    await loadCodecs();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe.each(
    encoders.map((c) => [installed(c.binary) ? c.name : `${c.name} (SKIPPED: ${c.binary} is not installed; apt-get install dcmtk libgdcm-tools)`, c] as const),
  )('%s', (_name, conversion) => {
    const maybe = installed(conversion.binary) ? it : it.skip;
    maybe('reads back the generated views', () => {
      const input = path.join(folder, `${conversion.binary}-${conversion.args('i', 'o').join('')}-in.dcm`);
      const output = input.replace('-in.dcm', '-out.dcm');
      writeFileSync(input, writeBoneScan(scan, { layout: 'multiframe', transferSyntax: 'explicit-le', ...conversion.source })[0]);
      run(conversion.binary, conversion.args(input, output));
      const object = readBoneScan(readFileSync(output));
      expect(object.transferSyntaxUid).toBe(conversion.expectedUid);
      for (const view of ['AP', 'PA'] as const) {
        const decoded = viewOf(object.views, view).pixels;
        const original = viewOf(views, view).pixels;
        if (conversion.lossy) expect(relativeRmse(decoded, original)).toBeLessThan(conversion.lossy);
        else expect(maxAbsDifference(decoded, original)).toBe(0);
      }
    });
  });

  describe.each(
    decoders.map(
      (d) =>
        [
          installed(d.binary) ? `${d.binary} decodes our ${d.syntax}` : `${d.binary} decodes our ${d.syntax} (SKIPPED: ${d.binary} is not installed)`,
          d,
        ] as const,
    ),
  )('%s', (_name, decoder) => {
    const maybe = installed(decoder.binary) ? it : it.skip;
    maybe('to the same pixels', () => {
      const input = path.join(folder, `ours-${decoder.syntax}.dcm`);
      const output = path.join(folder, `ours-${decoder.syntax}-decoded.dcm`);
      writeFileSync(input, writeBoneScan(scan, { layout: 'multiframe', transferSyntax: decoder.syntax })[0]);
      run(decoder.binary, decoder.args(input, output));
      const object = readBoneScan(readFileSync(output));
      expect(object.transferSyntaxUid).toBe(TRANSFER_SYNTAXES['explicit-le'].uid);
      for (const view of ['AP', 'PA'] as const) expect(maxAbsDifference(viewOf(object.views, view).pixels, viewOf(views, view).pixels)).toBe(0);
    });
  });
});
