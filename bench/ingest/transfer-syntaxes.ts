/**
 * bench/ingest/transfer-syntaxes: ms per whole-body scan (AP + PA, 256 × 1024, one multi-frame object) to
 * parse + decode (readBoneScan) and pre-process (@bonescan/preprocess), for every transfer syntax, with
 * Explicit VR Little Endian measured in the same run as the baseline (ratio column). Also phantom generation
 * and writing, which the trainer and the tests pay for.
 *   node -r @swc-node/register bench/ingest/transfer-syntaxes.ts [--scans 20]
 */
import os from 'node:os';
import { loadCodecs, readBoneScan, TRANSFER_SYNTAX_NAMES, writeBoneScan, type TransferSyntaxName } from '@bonescan/dicom';
import { generatePhantom } from '@bonescan/phantoms';
import { preprocessScan } from '@bonescan/preprocess';

const scansArgument = process.argv.indexOf('--scans');
const SCANS = scansArgument > 0 ? Number(process.argv[scansArgument + 1]) : 20;
const BASELINE: TransferSyntaxName = 'explicit-le';

function millisecondsPer(count: number, action: (i: number) => void): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) action(i);
  return Number(process.hrtime.bigint() - started) / 1e6 / count;
}

async function main(): Promise<void> {
  await loadCodecs();
  process.stderr.write(
    `machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  const generateMs = millisecondsPer(SCANS, (i) => generatePhantom({ seed: 100 + i, centre: 'A', mbd: i % 3 === 0 }));
  const phantoms = Array.from({ length: SCANS }, (_, i) => generatePhantom({ seed: 100 + i, centre: 'A', mbd: i % 3 === 0 }));
  const scans = phantoms.map((p) => ({
    patient: { id: p.caseId },
    views: [
      { view: 'AP' as const, width: p.width, height: p.height, pixels: p.views.AP },
      { view: 'PA' as const, width: p.width, height: p.height, pixels: p.views.PA },
    ],
  }));
  const rows: { syntax: string; kb: number; writeMs: number; readMs: number; preprocessMs: number }[] = [];
  for (const [k, syntax] of TRANSFER_SYNTAX_NAMES.entries()) {
    process.stderr.write(`[${k + 1}/${TRANSFER_SYNTAX_NAMES.length}] ${syntax}\n`);
    const files: Uint8Array[] = [];
    const writeMs = millisecondsPer(SCANS, (i) => files.push(writeBoneScan(scans[i], { layout: 'multiframe', transferSyntax: syntax })[0]));
    readBoneScan(files[0]); // warm the code paths of this syntax before timing
    const decoded = files.map(() => readBoneScan(files[0]));
    const readMs = millisecondsPer(SCANS, (i) => (decoded[i] = readBoneScan(files[i])));
    const preprocessMs = millisecondsPer(SCANS, (i) => preprocessScan({ AP: decoded[i].views[0], PA: decoded[i].views[1] }));
    rows.push({ syntax, kb: files.reduce((sum, f) => sum + f.length, 0) / SCANS / 1024, writeMs, readMs, preprocessMs });
  }
  const baseline = rows.find((r) => r.syntax === BASELINE)!;
  console.log(`\nphantom generation (256 × 1024, AP + PA): ${generateMs.toFixed(1)} ms per case\n`);
  console.log('transfer syntax        | size KB | write ms | parse+decode ms | × explicit-le | + pre-process ms | total ms/scan');
  console.log('-----------------------|---------|----------|-----------------|---------------|------------------|--------------');
  for (const r of rows) {
    console.log(
      `${r.syntax.padEnd(22)} | ${r.kb.toFixed(0).padStart(7)} | ${r.writeMs.toFixed(1).padStart(8)} | ${r.readMs.toFixed(1).padStart(15)} | ${(r.readMs / baseline.readMs).toFixed(2).padStart(13)} | ${r.preprocessMs.toFixed(1).padStart(16)} | ${(r.readMs + r.preprocessMs).toFixed(1).padStart(12)}`,
    );
  }
  console.log(`\n${SCANS} scans per syntax; baseline ${BASELINE} parse+decode ${baseline.readMs.toFixed(1)} ms/scan`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/ingest/transfer-syntaxes: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
