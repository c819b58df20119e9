import { spawn } from 'node:child_process';
import path from 'node:path';

/** The claims an account at the hospital's identity provider carries into its ID token; its login is its subject. */
export type HospitalAccountClaims = { email?: string; email_verified?: boolean; name?: string; groups?: string[] };

export interface HospitalIdentityProvider {
  issuer: string;
  stop(): Promise<void>;
}

/** Starts oidc-provider on a port chosen beforehand (the portal must know the issuer before the provider knows the portal). */
export async function startHospitalIdentityProvider(options: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accounts: Record<string, HospitalAccountClaims>;
}): Promise<HospitalIdentityProvider> {
  const child = spawn(process.execPath, [path.join(__dirname, 'identity-provider-process.mjs')], {
    env: { ...process.env, IDP_CONFIG: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const ready = /^ready (\S+)/m.exec(chunk.toString());
      if (ready) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`identity provider exited with ${code}: ${stderr}`)));
  });
  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        // Stopped already (a test can take the provider down): a signal-ended process has no exit code, only a signal.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
