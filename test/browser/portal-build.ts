import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const WEB_DIR = path.join(REPO, 'apps/web');
const NEXT_BIN = path.join(REPO, 'node_modules/.bin/next');
const STAMP = path.join(WEB_DIR, '.next/bonescan-source-hash');
const LOCK = path.join(WEB_DIR, '.next-build.lock');

/** Everything the portal bundle is made from: a change in any of it calls for a new build. */
const SOURCES = ['apps/web/src', 'apps/web/next.config.ts', 'apps/web/package.json', 'packages/clinical/src', 'packages/config/src'];

function sourceHash(): string {
  const hash = createHash('sha256');
  const visit = (file: string) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory())
      fs.readdirSync(file)
        .sort()
        .forEach((entry) => visit(path.join(file, entry)));
    else hash.update(path.relative(REPO, file)).update(fs.readFileSync(file));
  };
  SOURCES.forEach((source) => visit(path.join(REPO, source)));
  return hash.digest('hex');
}

/**
 * A production build of the portal (`next build`), made once and reused while its sources are
 * unchanged, so several browser test files (and the benchmark) share one build. A lock directory
 * keeps two jest workers from building at the same time.
 */
export async function ensurePortalBuild(): Promise<void> {
  const wanted = sourceHash();
  if (readStamp() === wanted) return;
  await acquireLock();
  try {
    if (readStamp() === wanted) return;
    process.stderr.write('browser tests: building the portal (next build, about a minute)...\n');
    execFileSync('nice', ['-n', '10', NEXT_BIN, 'build'], {
      cwd: WEB_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    fs.writeFileSync(STAMP, wanted);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

const readStamp = () => (fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8') : null);

async function acquireLock(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`Portal build lock ${LOCK} held for 10 minutes: remove it if no build is running`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
