// A hospital's OpenID Connect provider for the tests: panva's certified oidc-provider, in a process of its own
// (it is an ES module, and a real deployment's IdP is another process too). Its own login form accepts any
// password; the login names one of the accounts given in IDP_CONFIG and is its subject; the ID token carries its claims.
import http from 'node:http';
import Provider from 'oidc-provider';

const { port, clientId, clientSecret, redirectUri, accounts } = JSON.parse(process.env.IDP_CONFIG);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], post_logout_redirect_uris: [new URL('/signin', redirectUri).toString()], grant_types: ['authorization_code'], response_types: ['code'] }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  // Profile claims in the ID token itself, as Keycloak and Entra ID put them, not only behind the userinfo endpoint.
  conformIdTokenClaims: false,
  cookies: { keys: ['hospital-identity-provider-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const claims = accounts[id];
    return claims && { accountId: id, claims: () => ({ ...claims, sub: id }) };
  },
});
provider.proxy = false;

http.createServer(provider.callback()).listen(port, '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
