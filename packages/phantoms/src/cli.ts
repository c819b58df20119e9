import { parseArgs } from 'node:util';
import { CENTRES, type Centre } from './centres';
import { writePhantomSet } from './write-set';
import type { TransferSyntaxName } from '@bonescan/dicom';
import { commandLine, ProgressLine } from '@bonescan/logger';

const PHANTOMS = commandLine({
  invocation: 'npm run phantoms --',
  synopsis:
    '--n 500 --prevalence 0.3 --centre A --out <dir> [--seed 1] [--layout multiframe|single-frame] [--transfer-syntax explicit-le|rle|jpeg-ls-lossless|...]',
  purpose: 'Writes a labelled set of synthetic whole-body bone scans (DICOM, labels.csv and lesion masks) of one centre to --out.',
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: PHANTOMS.arguments(),
    options: {
      n: { type: 'string' },
      prevalence: { type: 'string' },
      centre: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      layout: { type: 'string', default: 'multiframe' },
      'transfer-syntax': { type: 'string', default: 'explicit-le' },
    },
  });
  if (!values.n || !values.prevalence || !values.centre || !values.out)
    throw new Error(`--n, --prevalence, --centre and --out are required\n${PHANTOMS.usage}`);
  if (!CENTRES.includes(values.centre as Centre)) throw new Error(`--centre must be one of ${CENTRES.join(', ')}`);
  if (values.layout !== 'multiframe' && values.layout !== 'single-frame') throw new Error('--layout must be multiframe or single-frame');
  const progress = new ProgressLine('phantoms', Number(values.n));
  await writePhantomSet({
    n: Number(values.n),
    prevalence: Number(values.prevalence),
    centre: values.centre as Centre,
    out: values.out,
    seed: Number(values.seed),
    layout: values.layout,
    transferSyntax: values['transfer-syntax'] as TransferSyntaxName,
    onProgress: (done) => progress.update(done),
  });
  process.stderr.write(`wrote ${values.n} cases to ${values.out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`phantoms: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
