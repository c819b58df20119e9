/**
 * docker-compose.yml as a hospital would run it: read as data (no Docker needed), and validated by `docker compose
 * config` where a compose plugin is installed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

const ROOT = path.resolve(__dirname, '../..');

interface Service {
  environment?: Record<string, string | number | null>;
  healthcheck?: { test?: string[] };
  ports?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}

const compose = yaml.load(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const dockerignore = fs
  .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim());

describe('docker-compose.yml', () => {
  it('gives every worker a model folder that exists in the repository (the image copies it to /app)', () => {
    const modelDirs = services.flatMap(([, service]) => (service.environment?.MODEL_DIR ? [String(service.environment.MODEL_DIR)] : []));
    expect(modelDirs.length).toBeGreaterThanOrEqual(2);
    for (const dir of modelDirs) {
      expect(dir.startsWith('/app/')).toBe(true);
      expect(fs.existsSync(path.join(ROOT, dir.slice('/app/'.length), 'model-card.json'))).toBe(true);
    }
  });

  it('has a health check and a restart policy on every service, and starts each after the services it needs are healthy', () => {
    for (const [name, service] of services) {
      expect({ name, healthCheck: (service.healthcheck?.test?.length ?? 0) > 0 }).toEqual({ name, healthCheck: true });
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      for (const [needed, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, needed, condition }).toEqual({ name, needed, condition: 'service_healthy' });
      }
    }
    const platform = services.filter(([name]) => name !== 'postgres');
    for (const [, service] of platform) expect(service.healthcheck?.test?.join(' ')).toMatch(/\/(readyz|signin)'/);
  });

  it('commits no password: secrets come from the .env file, which must set them', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const postgres = compose.services.postgres.environment ?? {};
    expect(postgres.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(text).not.toMatch(/postgres:\/\/[^:\s]+:(?!\$\{)[^@\s]+@/);
    for (const [, service] of services) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET/.test(variable)) expect({ variable, value }).toEqual({ variable, value: expect.stringMatching(/^\$\{[A-Z_]+:\?/) });
      }
    }
  });

  it('publishes ports on 127.0.0.1 unless PUBLISH_ADDRESS says otherwise', () => {
    const ports = services.flatMap(([, service]) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^\$\{PUBLISH_ADDRESS:-127\.0\.0\.1\}:/);
  });

  it('keeps patient data, installed and built output and history out of the image (.dockerignore)', () => {
    for (const excluded of ['.data', 'node_modules', '.next', '.git', 'test-results', '.env']) expect(dockerignore).toContain(excluded);
  });

  it('is valid for `docker compose config` where a compose plugin is installed', () => {
    const version = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (version.status !== 0) {
      process.stdout.write(`skipped docker compose config: no Docker compose plugin here (${(version.stderr || version.error?.message || '').trim()})\n`);
      return;
    }
    const env = {
      ...process.env,
      POSTGRES_PASSWORD: 'compose-config-check',
      AUTH_SECRET: 'compose-config-check-secret-0123456789',
      NEXTAUTH_URL: 'https://portal.example',
    };
    const checked = spawnSync(
      'docker',
      ['compose', '--env-file', path.join(ROOT, '.env.example'), '--profile', 'cpu', '--profile', 'gpu', 'config', '--quiet'],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    expect({ status: checked.status, stderr: checked.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
