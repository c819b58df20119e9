/**
 * The model version shipped in models/ is what `npm start` serves: it must load on the fallback backend, say
 * what it is, and give on a scan the probability its own report recorded for that scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESEARCH_USE_ONLY } from '@bonescan/clinical';
import { phantomSet } from '../testing/fixtures';
import { readLabelledFolders } from '../training/labelled-folder';
import { expandChannels, readScanPlane } from '../training/scan-input';
import { loadModelVersion } from './loaded-model';

const SHIPPED = path.resolve(__dirname, '../../../../models/bonescan-vgg16-compact-phantoms');

describe('the shipped model version', () => {
  it('loads on wasm as the batch-normalised compact VGG16 its card names, for research use only', async () => {
    const loaded = await loadModelVersion(SHIPPED, 'wasm');
    expect(loaded.card).toMatchObject({ name: 'bonescan-vgg16-compact-phantoms', architecture: 'vgg16-compact', syntheticData: true });
    expect(loaded.card.intendedUse).toContain(RESEARCH_USE_ONLY);
    expect(loaded.card.training.recipe.lesionPatchPretraining).toMatchObject({ steps: 1500, patchSize: 128 });

    const report = JSON.parse(fs.readFileSync(path.join(SHIPPED, 'report.json'), 'utf8'));
    expect(report.model.name).toBe(loaded.card.name);
    expect((loaded.card.metrics.evaluation as { auc: number }).auc).toBe(report.auc);

    // The report's first centre-C case, regenerated, gets the probability the report recorded. A phantom depends
    // on its seed, index and label only, so a one-case set with that case's label reproduces it exactly.
    const first = (report.cases as Array<{ caseId: string; mbd: number; probability: number }>).find((c) => c.caseId === 'C013-00001')!;
    const folder = await phantomSet({ n: 1, prevalence: first.mbd, centre: 'C', seed: 13 });
    const [scan] = readLabelledFolders([folder]);
    expect(scan.caseId).toBe(first.caseId);
    const [probability] = await loaded.predict([expandChannels(await readScanPlane(scan))]);
    expect(probability).toBeCloseTo(first.probability, 5);
    loaded.dispose();
  });
});
