import { PORTAL_CLIENT_ADDRESS_HEADER, sessionSecret, statePortalClientAddress } from '@bonescan/config';
import { ADDRESS_BACK_OFF, ACCOUNT_BACK_OFF, SignInLimiter } from '../auth/sign-in-limiter';
import { testApiOfFile } from '../testing/test-api-of-file';

const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }`;
const codeOf = (answer: { errors?: Array<{ extensions?: { code?: string } }> }) => answer.errors?.[0]?.extensions?.code;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('password guessing at sign-in', () => {
  const api = testApiOfFile();
  const signIn = (email: string, password: string, headers: Record<string, string> = {}) => api.graphql(SIGN_IN, { e: email, p: password }, undefined, headers);
  /** The portal's signed statement of the browser's address, as the portal sends it. */
  const fromBrowserAt = (address: string) => ({ [PORTAL_CLIENT_ADDRESS_HEADER]: statePortalClientAddress(sessionSecret(api.config), address) });

  beforeEach(() => api.db.dataSource.query('DELETE FROM sign_in_throttle'));

  it('a forged X-Forwarded-For neither resets nor escapes the limit of the real address', async () => {
    for (let i = 0; i < ADDRESS_BACK_OFF.freeFailures + 1; i += 1) {
      await signIn(`sprayed${i}@hospital.test`, 'wrong password!!', { 'x-forwarded-for': `198.51.100.${i}` });
    }
    const next = await signIn('sprayed-last@hospital.test', 'wrong password!!', { 'x-forwarded-for': '198.51.100.250' });
    expect(codeOf(next)).toBe('RATE_LIMITED');
  });

  it('a statement of the address not signed with the session secret is not believed', async () => {
    const forged = statePortalClientAddress('not the session secret, but long enough', '198.51.100.77');
    for (let i = 0; i < ADDRESS_BACK_OFF.freeFailures + 1; i += 1)
      await signIn(`forged${i}@hospital.test`, 'wrong password!!', { [PORTAL_CLIENT_ADDRESS_HEADER]: forged });
    const [counted] = await api.db.dataSource.query(`SELECT count(*)::int AS keys FROM sign_in_throttle WHERE key LIKE 'address:198.51.100.77'`);
    expect(counted.keys).toBe(0);
  });

  it('two browser addresses the portal states are limited separately, and other accounts from a busy address still sign in', async () => {
    const reader = await api.signInAs('CLINICIAN', 'a long enough password');
    for (let i = 0; i < ADDRESS_BACK_OFF.freeFailures + 1; i += 1) await signIn(`guess${i}@hospital.test`, 'wrong password!!', fromBrowserAt('203.0.113.7'));
    expect(codeOf(await signIn(reader.user.email, 'a long enough password', fromBrowserAt('203.0.113.7')))).toBe('RATE_LIMITED');
    expect((await signIn(reader.user.email, 'a long enough password', fromBrowserAt('203.0.113.8'))).data?.signIn.id).toBe(reader.user.id);
  });

  it('20 parallel wrong guesses at one account get no more tries than the free ones and the first back-off', async () => {
    const target = await api.signInAs('CLINICIAN', 'the target password');
    const bystander = await api.signInAs('CLINICIAN', 'a bystander password');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(target.user.email, `wrong guess ${i}`, fromBrowserAt('203.0.113.20'))));
    const checked = answers.filter((answer) => codeOf(answer) === 'UNAUTHENTICATED').length;
    expect(checked).toBe(ACCOUNT_BACK_OFF.freeFailures + 1);
    expect(answers.filter((answer) => codeOf(answer) === 'RATE_LIMITED')).toHaveLength(20 - checked);
    const [row] = await api.db.dataSource.query('SELECT failures FROM sign_in_throttle WHERE key = $1', [`email:${target.user.email}`]);
    expect(row.failures).toBe(ACCOUNT_BACK_OFF.freeFailures + 1);
    // One account backing off locks nobody else out, even from the same address.
    expect((await signIn(bystander.user.email, 'a bystander password', fromBrowserAt('203.0.113.20'))).data?.signIn.id).toBe(bystander.user.id);
  });

  it('the wait of one account doubles with each further failure', async () => {
    const limiter = new SignInLimiter(api.db.dataSource);
    const backOff = { freeFailures: 1, firstDelayMs: 300, maxDelayMs: 60_000 };
    const waits: number[] = [];
    expect(await limiter.admit('email:doubling@hospital.test', backOff)).toBe(0); // the free failure
    for (let round = 0; round < 3; round += 1) {
      expect(await limiter.admit('email:doubling@hospital.test', backOff)).toBe(0);
      const wait = await limiter.admit('email:doubling@hospital.test', backOff);
      waits.push(wait);
      await new Promise((resolve) => setTimeout(resolve, wait + 20));
    }
    // 300 ms, 600 ms, 1200 ms, less the few milliseconds between the failure and the refused attempt.
    expect(waits[0]).toBeGreaterThan(200);
    expect(waits[0]).toBeLessThanOrEqual(300);
    expect(waits[1]).toBeGreaterThan(1.6 * waits[0]);
    expect(waits[2]).toBeGreaterThan(1.6 * waits[1]);
    expect(await limiter.admit('email:someone-else@hospital.test', backOff)).toBe(0);
  });

  it('an unknown e-mail takes as long to refuse as a wrong password for a known one', async () => {
    const rounds = 9;
    const known = await Promise.all(Array.from({ length: rounds }, () => api.signInAs('CLINICIAN', 'a long enough password')));
    const timed = async (email: string, address: string) => {
      const started = performance.now();
      expect(codeOf(await signIn(email, 'wrong password!!', fromBrowserAt(address)))).toBe('UNAUTHENTICATED');
      return performance.now() - started;
    };
    await timed('warm-up@hospital.test', '192.0.2.200');
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      knownTimes.push(await timed(known[i].user.email, `192.0.2.${i}`));
      unknownTimes.push(await timed(`nobody${i}@hospital.test`, `192.0.2.${100 + i}`));
    }
    // Without the stand-in check an unknown e-mail answers in a few ms against tens for argon2: a ratio near 0.05.
    const ratio = median(unknownTimes) / median(knownTimes);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
