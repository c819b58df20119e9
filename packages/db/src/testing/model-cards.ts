import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MODEL_CARD_FILE } from '../model-versions/model-card';

/** A card the platform accepts, reduced to the fields a model version is made of, and its intended use. */
export const TEST_MODEL_CARD = {
  name: 'bonescan-vgg16',
  version: '2026-11-27',
  architecture: 'vgg16',
  input: { width: 512, height: 512, channels: 3 },
  threshold: 0.42,
  syntheticData: true,
  intendedUse: 'Research use only',
};

/**
 * A model version folder as training writes it, reduced to what registration reads: `card` as its
 * model-card.json (text is written as given, so a test can write a broken card) and, unless `weights` is false,
 * a model.json.
 */
export function writeTestModelFolder(card: object | string, options: { weights?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-model-version-'));
  if (options.weights !== false) fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', weightsManifest: [] }));
  fs.writeFileSync(path.join(dir, MODEL_CARD_FILE), typeof card === 'string' ? card : JSON.stringify(card));
  return dir;
}
