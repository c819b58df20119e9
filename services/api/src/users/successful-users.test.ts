import { testApiOfFile } from '../testing/test-api-of-file';

describe('users', () => {
  const api = testApiOfFile();

  it('answer { me } for a portal session, and null without credentials', async () => {
    const { user, session } = await api.signInAs('LEAD');
    expect((await api.graphql('{ me { id role email } }', {}, session)).data).toEqual({ me: { id: user.id, role: 'LEAD', email: user.email } });
    expect((await api.graphql('{ me { id } }')).data).toEqual({ me: null });
  });

  it('let an admin create a user who can then sign in with a case-insensitive e-mail', async () => {
    const admin = await api.signInAs('ADMIN');
    const created = await api.graphql(
      `mutation { createUser(input: { email: "Reader.One@hospital.test", name: "Dr One", role: CLINICIAN, password: "correct horse battery" }) { id role } }`,
      {},
      admin.session,
    );
    expect(created.data!.createUser.role).toBe('CLINICIAN');
    const signedIn = await api.graphql(`mutation { signIn(email: "reader.one@HOSPITAL.test", password: "correct horse battery") { id } }`);
    expect(signedIn.data!.signIn.id).toBe(created.data!.createUser.id);
  });
});
