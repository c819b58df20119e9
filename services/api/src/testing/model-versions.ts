import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A model version folder as training writes it, reduced to what the API reads: the card and a model.json. */
export function writeModelFolder(card: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-model-version-'));
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', weightsManifest: [] }));
  fs.writeFileSync(path.join(dir, 'model-card.json'), JSON.stringify(card));
  return dir;
}

export const CARD = {
  name: 'bonescan-vgg16',
  version: '2026-11-27',
  architecture: 'vgg16',
  input: { width: 512, height: 512, channels: 3 },
  threshold: 0.42,
  syntheticData: true,
  intendedUse: 'Research use only',
};

export const REGISTER = `mutation ($path: String!) { registerModelVersion(path: $path) { id name version architecture threshold status syntheticData card } }`;
export const SET_STATUS = `mutation ($id: ID!, $status: ModelVersionStatus!) { setModelVersionStatus(id: $id, status: $status) { id status } }`;
export const RERUN = `mutation ($id: ID!, $range: DateRange!) { rerunModelVersion(id: $id, range: $range) }`;
