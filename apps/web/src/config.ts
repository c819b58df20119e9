import { loadConfig, type Config } from '@bonescan/config';

let cached: Config | undefined;

/**
 * The platform's configuration as the portal sees it, read by the same loader as the API's; the
 * session secret comes from it through `sessionSecret`, the rule the API follows too.
 */
export function portalConfig(): Config {
  if (!cached) cached = loadConfig();
  return cached;
}
