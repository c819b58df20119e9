import { diagnoseSingleSignOn } from '../../auth/identity-provider-check';
import { portalPath } from '../../auth/portal-path';
import { portalConfig } from '../../config';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';

const SINGLE_SIGN_ON_ERRORS = new Set(['OAuthSignin', 'OAuthCallback', 'Callback']);

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const config = portalConfig();
  const singleSignOn = Boolean(config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET);
  // next-auth names every failed round trip with the identity provider alike; the reader is told which it was.
  const shown = error && SINGLE_SIGN_ON_ERRORS.has(error) ? await diagnoseSingleSignOn(config) : error;
  return (
    <main className="signin">
      <h1>BoneScan</h1>
      <p className="muted">Sign in to read whole-body bone scans</p>
      <SignInForm callbackUrl={portalPath(callbackUrl)} singleSignOn={singleSignOn} initialError={shown} />
    </main>
  );
}
