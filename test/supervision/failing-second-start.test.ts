/** A second `npm start` on ports the first one holds refuses, naming each port and the process holding it; it never prints "running". */
import fs from 'node:fs';
import { listenerOf } from '../../scripts/supervisor/ports';
import { freePlatformPorts, platformDataDir, startPlatform, statusOf, type Platform } from './platform';

describe('a second npm start on taken ports', () => {
  const dataDirs = [platformDataDir(), platformDataDir()];
  let first: Platform;

  beforeAll(async () => {
    first = startPlatform({ dataDir: dataDirs[0], ports: await freePlatformPorts() });
    await first.running;
  }, 240_000);

  afterAll(async () => {
    await first?.stop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('refuse with the port, the process holding it and what to do, and leave the first one running', async () => {
    const second = startPlatform({ dataDir: dataDirs[1], ports: first.ports });
    const { code } = await second.exited;
    const apiHolder = listenerOf(first.ports.api)!;

    expect(code).toBe(1);
    expect(second.output()).not.toContain('is running');
    expect(second.output()).toContain(`port ${first.ports.api} for the API is taken by process ${apiHolder}`);
    expect(second.output()).toContain(`kill ${apiHolder}`);
    expect(second.output()).toContain(`port ${first.ports.worker} for inference worker 1 is taken`);
    expect(second.output()).toContain(`port ${first.ports.postgres} for the embedded PostgreSQL is taken`);
    expect(await statusOf(`${first.apiUrl}/readyz`)).toBe(200);
  }, 120_000);
});
