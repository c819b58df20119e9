import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@bonescan/config';
import { platformSessionSecret } from '../../scripts/demo-secret';

const HOSPITAL_SECRET = 'kq3Xv9L2mZpT7wQe4RsY8uBn1CdFgHjK';

describe("npm start's session secret", () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-secret-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const secretFile = () => path.join(dataDir, 'auth-secret');

  it('in demo mode is made once, kept readable by its owner only, and the same on the next start', () => {
    const first = platformSessionSecret(loadConfig({ DATA_DIR: dataDir }));
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(secretFile(), 'utf8').trim()).toBe(first);
    expect(fs.statSync(secretFile()).mode & 0o777).toBe(0o600);

    const second = platformSessionSecret(loadConfig({ DATA_DIR: dataDir }));
    expect(second).toBe(first);
  });

  it('differs between two installations', () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-secret-'));
    try {
      expect(platformSessionSecret(loadConfig({ DATA_DIR: dataDir }))).not.toBe(platformSessionSecret(loadConfig({ DATA_DIR: otherDir })));
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('is the configured one when set, and then nothing is written', () => {
    expect(platformSessionSecret(loadConfig({ DATA_DIR: dataDir, AUTH_SECRET: HOSPITAL_SECRET }))).toBe(HOSPITAL_SECRET);
    expect(platformSessionSecret(loadConfig({ DATA_DIR: dataDir, NEXTAUTH_SECRET: HOSPITAL_SECRET }))).toBe(HOSPITAL_SECRET);
    expect(fs.existsSync(secretFile())).toBe(false);
  });

  it('outside demo mode is never made up: start-up stops, and nothing is written', () => {
    expect(() => platformSessionSecret(loadConfig({ DATA_DIR: dataDir, DEMO_DATA: 'false' }))).toThrow(/AUTH_SECRET is not set/);
    expect(() => platformSessionSecret(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', DEMO_DATA: 'true' }))).toThrow(/AUTH_SECRET is not set/);
    expect(() => platformSessionSecret(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', AUTH_SECRET: 'short' }))).toThrow(/AUTH_SECRET is too short/);
    expect(fs.existsSync(secretFile())).toBe(false);
  });

  it('refuses a damaged secret file rather than running with it', () => {
    fs.writeFileSync(secretFile(), '\n', { mode: 0o600 });
    expect(() => platformSessionSecret(loadConfig({ DATA_DIR: dataDir }))).toThrow(/auth-secret holds no usable secret .*delete it and start again/);
  });
});
