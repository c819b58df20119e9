import { ConfigError } from './config-error';
import type { Config } from './index';

/** Shortest secret accepted: 32 characters of base64 carry 192 bits, beyond any guessing. */
export const SESSION_SECRET_MIN_LENGTH = 32;

/**
 * Secrets that were ever published (this platform's old built-in default): anyone could sign a
 * portal session with them, an administrator's included.
 */
const PUBLISHED_SECRETS = new Set(['development-only-secret-change-me-in-production!']);

const HOW_TO_MAKE_ONE = `a random string of at least ${SESSION_SECRET_MIN_LENGTH} characters, e.g. the output of \`openssl rand -base64 32\``;

export type SessionSecretVariable = 'AUTH_SECRET' | 'NEXTAUTH_SECRET';

/**
 * The one rule by which the API and the portal find the secret of portal sessions: AUTH_SECRET,
 * else NEXTAUTH_SECRET (next-auth's own name for it). Undefined when neither is set.
 */
export function configuredSessionSecret(config: Pick<Config, SessionSecretVariable>): { variable: SessionSecretVariable; value: string } | undefined {
  if (config.AUTH_SECRET) return { variable: 'AUTH_SECRET', value: config.AUTH_SECRET };
  if (config.NEXTAUTH_SECRET) return { variable: 'NEXTAUTH_SECRET', value: config.NEXTAUTH_SECRET };
  return undefined;
}

/**
 * The secret that signs and verifies portal sessions. There is no built-in one: a missing, short or
 * published secret stops start-up, naming the variable and what to do.
 */
export function sessionSecret(config: Pick<Config, SessionSecretVariable>): string {
  const configured = configuredSessionSecret(config);
  if (!configured) {
    throw new ConfigError(
      `AUTH_SECRET is not set: portal sign-ins need a secret shared by the API and the portal. Set AUTH_SECRET (or NEXTAUTH_SECRET) to ${HOW_TO_MAKE_ONE}. ` +
        'Only `npm start` in demo mode (DEMO_DATA, never with NODE_ENV=production) makes one up itself.',
    );
  }
  const { variable, value } = configured;
  if (PUBLISHED_SECRETS.has(value)) {
    throw new ConfigError(`${variable} is a published example value with which anyone could forge a sign-in: replace it with ${HOW_TO_MAKE_ONE}`);
  }
  if (value.length < SESSION_SECRET_MIN_LENGTH) {
    throw new ConfigError(`${variable} is too short (${value.length} characters): replace it with ${HOW_TO_MAKE_ONE}`);
  }
  return value;
}
