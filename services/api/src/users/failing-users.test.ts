import { createLogger } from '@bonescan/logger';
import { expectRejected } from '../testing/expect-rejected';
import { testApiOfFile } from '../testing/test-api-of-file';

describe('bad input to users and sign-in', () => {
  const api = testApiOfFile();

  it('duplicate user e-mail (in any letter case): BAD_USER_INPUT', async () => {
    const admin = (await api.signInAs('ADMIN')).session;
    const clinician = (await api.signInAs('CLINICIAN')).session;
    const create = (email: string) => () =>
      api.graphql(
        `mutation($email: String!) { createUser(input: { email: $email, name: "Dr A", role: CLINICIAN, password: "correct horse battery" }) { id } }`,
        { email },
        admin,
      );
    expect((await create('dr.a@hospital.test')()).errors).toBeUndefined();
    await expectRejected(api, create('Dr.A@Hospital.test'), 'BAD_USER_INPUT', /already exists/);
    await expectRejected(api, create('not-an-email'), 'BAD_USER_INPUT', /email must be an e-mail address/);
    await expectRejected(
      api,
      () => api.graphql(`mutation { createUser(input: { email: "x@hospital.test", name: "X", role: LEAD }) { id } }`, {}, clinician),
      'FORBIDDEN',
      /users:manage is not allowed for the CLINICIAN role/,
    );
  });

  it('wrong password: one message for both unknown e-mail and wrong password, then rate-limited', async () => {
    const known = await api.signInAs('CLINICIAN', 'a long enough password');
    const signIn = (email: string, password: string) =>
      api.graphql(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }`, { e: email, p: password });
    const wrongPassword = await signIn(known.user.email, 'wrong password!!');
    const unknownEmail = await signIn('nobody@hospital.test', 'wrong password!!');
    expect(wrongPassword.errors?.[0]?.message).toBe('E-mail or password is incorrect');
    expect(unknownEmail.errors?.[0]?.message).toBe('E-mail or password is incorrect');
    for (let i = 0; i < 3; i += 1) await signIn(known.user.email, 'wrong password!!');
    const limited = await signIn(known.user.email, 'a long enough password');
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('a failed SQL statement is logged without its values: no e-mail, no password hash', async () => {
    const { user } = await api.signInAs('CLINICIAN', 'a long enough password');
    const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
    const failure = await api.db.dataSource
      .query(`INSERT INTO users (email, name, role, password_hash, active) VALUES ($1, 'Twin', 'CLINICIAN', $2, true)`, [user.email.toUpperCase(), hash])
      .catch((error: unknown) => error);
    const lines: string[] = [];
    createLogger('api', 'error', { write: (line: string) => lines.push(line) }).error({ err: failure }, 'unexpected error in GraphQL request');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).err).toMatchObject({ code: '23505', constraint: 'users_email_lower_unique', parameters: '[redacted]' });
    expect(lines[0].toLowerCase()).not.toContain(user.email.toLowerCase());
    expect(lines[0]).not.toContain('argon2id');
  });
});
