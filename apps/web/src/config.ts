import { loadConfig, type Config } from '@bonescan/config';

let cached: Config | undefined;

/** The platform's configuration as the portal sees it; NEXTAUTH_SECRET stands in for AUTH_SECRET. */
export function portalConfig(): Config {
  if (!cached) {
    const env = { ...process.env };
    if (!env.AUTH_SECRET && env.NEXTAUTH_SECRET) env.AUTH_SECRET = env.NEXTAUTH_SECRET;
    cached = loadConfig(env);
  }
  return cached;
}
