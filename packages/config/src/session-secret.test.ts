import { ConfigError, loadConfig, sessionSecret } from '.';

// Literal values, not generated ones: the expectations are the rule as the README states it.
const HOSPITAL_SECRET = 'kq3Xv9L2mZpT7wQe4RsY8uBn1CdFgHjK';
const NEXTAUTH_ONLY = 'Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd';
const OLD_BUILT_IN_DEFAULT = 'development-only-secret-change-me-in-production!';

describe('the session secret', () => {
  it('has no built-in value', () => {
    expect(loadConfig({}).AUTH_SECRET).toBeUndefined();
    expect(() => sessionSecret(loadConfig({}))).toThrow(ConfigError);
    expect(() => sessionSecret(loadConfig({}))).toThrow(/AUTH_SECRET is not set.*openssl rand -base64 32/);
  });

  it('is AUTH_SECRET, else NEXTAUTH_SECRET, an empty value counting as unset', () => {
    expect(sessionSecret(loadConfig({ AUTH_SECRET: HOSPITAL_SECRET, NEXTAUTH_SECRET: NEXTAUTH_ONLY }))).toBe(HOSPITAL_SECRET);
    expect(sessionSecret(loadConfig({ NEXTAUTH_SECRET: NEXTAUTH_ONLY }))).toBe(NEXTAUTH_ONLY);
    expect(sessionSecret(loadConfig({ AUTH_SECRET: '', NEXTAUTH_SECRET: NEXTAUTH_ONLY }))).toBe(NEXTAUTH_ONLY);
  });

  it('refuses a short secret, naming the variable it came from', () => {
    expect(() => sessionSecret(loadConfig({ AUTH_SECRET: 'changeme' }))).toThrow('AUTH_SECRET is too short (8 characters)');
    expect(() => sessionSecret(loadConfig({ NEXTAUTH_SECRET: 'x'.repeat(31) }))).toThrow('NEXTAUTH_SECRET is too short (31 characters)');
    expect(sessionSecret(loadConfig({ AUTH_SECRET: 'x'.repeat(32) }))).toHaveLength(32);
  });

  it('refuses the old published default, long as it is', () => {
    expect(() => sessionSecret(loadConfig({ AUTH_SECRET: OLD_BUILT_IN_DEFAULT }))).toThrow(/AUTH_SECRET is a published example value/);
    expect(() => sessionSecret(loadConfig({ NEXTAUTH_SECRET: OLD_BUILT_IN_DEFAULT }))).toThrow(/NEXTAUTH_SECRET is a published example value/);
  });
});

describe('demo mode', () => {
  it('is on by default and off whenever NODE_ENV=production, DEMO_DATA=true included', () => {
    expect(loadConfig({}).DEMO_DATA).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'false' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }).DEMO_DATA).toBe(false);
  });
});
