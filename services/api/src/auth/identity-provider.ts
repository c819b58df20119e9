import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** What the API needs of the hospital's OpenID Connect provider: who it says it is, and its signing keys. */
interface IdentityProvider {
  issuer: string;
  keys: JWTVerifyGetKey;
}

/** An ID token younger than this is a sign-in in progress; an older one is a replay. */
const ID_TOKEN_MAX_AGE = '10 minutes';

const providers = new Map<string, Promise<IdentityProvider>>();

/** Why an ID token was not accepted, said so that the portal can show it and the audit can record it. */
export class IdTokenRefused extends Error {
  constructor(
    readonly reason: 'identity-provider-unreachable' | 'id-token-invalid',
    message: string,
  ) {
    super(message);
  }
}

async function discover(issuerUrl: string): Promise<IdentityProvider> {
  const response = await fetch(`${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`discovery answered HTTP ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (typeof document.issuer !== 'string' || typeof document.jwks_uri !== 'string') throw new Error('discovery document names no issuer or jwks_uri');
  return { issuer: document.issuer, keys: createRemoteJWKSet(new URL(document.jwks_uri)) };
}

/** Discovery once per issuer; a failed one is forgotten so that the next sign-in tries again. */
function identityProvider(issuerUrl: string): Promise<IdentityProvider> {
  let provider = providers.get(issuerUrl);
  if (!provider) {
    provider = discover(issuerUrl);
    providers.set(issuerUrl, provider);
    provider.catch(() => providers.delete(issuerUrl));
  }
  return provider;
}

/**
 * The claims of an ID token the configured issuer signed for this portal's client, recently. The API checks the
 * signature itself rather than trusting the portal: whoever can call the API could otherwise claim any e-mail.
 * (The portal has already checked state, PKCE and nonce, which only the browser's cookies can prove.)
 */
export async function verifyIdToken(idToken: string, issuerUrl: string, clientId: string): Promise<JWTPayload & { iss: string; sub: string }> {
  let provider: IdentityProvider;
  try {
    provider = await identityProvider(issuerUrl);
  } catch (error) {
    throw new IdTokenRefused('identity-provider-unreachable', `The hospital sign-in service at ${issuerUrl} cannot be reached (${(error as Error).message})`);
  }
  try {
    const { payload } = await jwtVerify(idToken, provider.keys, { issuer: provider.issuer, audience: clientId, maxTokenAge: ID_TOKEN_MAX_AGE });
    if (typeof payload.sub !== 'string' || !payload.sub) throw new Error('the token has no subject');
    return payload as JWTPayload & { iss: string; sub: string };
  } catch (error) {
    throw new IdTokenRefused('id-token-invalid', `The sign-in token was not accepted: ${(error as Error).message}`);
  }
}
