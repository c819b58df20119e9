import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '.';
import { configTable } from './config-table';

describe('configuration', () => {
  it('take defaults for a bare environment', () => {
    const config = loadConfig({});
    expect(config.API_PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('name the variable and the problem when a value is bad', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(/API_PORT: Expected number/);
  });

  it('accept as INFERENCE_BACKEND only a backend the workers have, and say which ones they are', () => {
    expect(loadConfig({ INFERENCE_BACKEND: 'wasm' }).INFERENCE_BACKEND).toBe('wasm');
    // ONNX Runtime was considered and never built: naming it must stop start-up, not fall back silently.
    expect(() => loadConfig({ INFERENCE_BACKEND: 'onnx' })).toThrow(/INFERENCE_BACKEND: .*'tensorflow-gpu' \| 'tensorflow' \| 'wasm' \| 'cpu'/);
  });

  it('read DICOM_ALLOWED_CALLERS as AE title and address pairs, and refuse an entry without an address', () => {
    expect(loadConfig({ DICOM_ALLOWED_CALLERS: 'PACS1@10.0.0.5, MODALITY2@*' }).DICOM_ALLOWED_CALLERS).toEqual([
      { aeTitle: 'PACS1', host: '10.0.0.5' },
      { aeTitle: 'MODALITY2', host: '*' },
    ]);
    expect(loadConfig({}).DICOM_ALLOWED_CALLERS).toEqual([]);
    expect(() => loadConfig({ DICOM_ALLOWED_CALLERS: 'PACS1@10.0.0.5,MODALITY2' })).toThrow(/DICOM_ALLOWED_CALLERS: "MODALITY2" is not AE_TITLE@address/);
    expect(() => loadConfig({ DICOM_ALLOWED_CALLERS: 'PACS1@pacs.example' })).toThrow(/"PACS1@pacs.example" is not AE_TITLE@address \(an IP address or \*\)/);
  });

  it('document every variable in the README, exactly as the schema describes it', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(configTable());
  });
});
