import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { configuredSessionSecret, SESSION_SECRET_MIN_LENGTH, sessionSecret, type Config } from '@bonescan/config';

/**
 * The session secret `npm start` runs the platform with: the configured one (AUTH_SECRET, else
 * NEXTAUTH_SECRET) when set, checked like everywhere else; in demo mode with none configured, the
 * data folder's own (see demoSessionSecret); otherwise start-up stops with what to set.
 */
export function platformSessionSecret(config: Config): string {
  if (config.DEMO_DATA && !configuredSessionSecret(config)) return demoSessionSecret(config.DATA_DIR);
  return sessionSecret(config);
}

/**
 * A secret made at random on the first demo start and kept in DATA_DIR/auth-secret, readable by its
 * owner only, so sign-ins survive restarts and no two installations share one.
 */
export function demoSessionSecret(dataDir: string): string {
  const file = path.resolve(dataDir, 'auth-secret');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx' writes only a file that does not exist yet: a second start reuses the first one's secret.
    fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < SESSION_SECRET_MIN_LENGTH) {
    throw new Error(`${file} holds no usable secret (${secret.length} characters): delete it and start again; everyone will have to sign in again`);
  }
  return secret;
}
