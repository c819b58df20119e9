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

  it('audit password sign-ins and wrong passwords, naming the method and the reason', async () => {
    const { user } = await api.signInAs('CLINICIAN', 'a password of the clinician');
    await api.graphql(`mutation { signIn(email: "${user.email}", password: "not the clinician's password") { id } }`);
    await api.graphql(`mutation { signIn(email: "${user.email.toUpperCase()}", password: "a password of the clinician") { id } }`);
    const rows = await api.db.dataSource.query(
      `SELECT action, actor_user_id AS "actorUserId", entity_id AS "entityId", details FROM audit_events WHERE action LIKE 'user.sign-in%' AND (entity_id = $1 OR entity_id = $2) ORDER BY id`,
      [user.id, `email:${user.email}`],
    );
    expect(rows).toEqual([
      { action: 'user.sign-in-refused', actorUserId: null, entityId: `email:${user.email}`, details: { method: 'password', reason: 'wrong-credentials' } },
      { action: 'user.sign-in', actorUserId: user.id, entityId: user.id, details: { method: 'password' } },
    ]);
  });
});
