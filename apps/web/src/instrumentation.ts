/**
 * Runs once as the portal server starts. A portal without a proper session secret stops here with
 * what to set, rather than starting and failing every sign-in.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Imported here, not at the top: the configuration loader is Node code, and Next also compiles this file for the edge.
  const { sessionSecret } = await import('@bonescan/config');
  const { portalConfig } = await import('./config');
  try {
    sessionSecret(portalConfig());
  } catch (error) {
    console.error(`The portal cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
