import { createTestScan } from '@bonescan/db/testing';
import { testApiOfFile } from '../testing/test-api-of-file';

describe('API tokens', () => {
  const api = testApiOfFile();

  it('let an admin issue a scoped token that works until revoked, shown once and stored hashed', async () => {
    const { scanId, patientRowId } = await createTestScan(api.db.dataSource, { patientId: 'MRN-7', status: 'PREDICTED' });
    const admin = await api.signInAs('ADMIN');
    const integrator = await api.signInAs('INTEGRATOR');
    const created = await api.graphql(
      `mutation($user: ID!) { createApiToken(input: { name: "PACS bridge", scopes: ["scans:read"], expiresInDays: 30, userId: $user }) { secret token { id prefix scopes } } }`,
      { user: integrator.user.id },
      admin.session,
    );
    const { secret, token } = created.data!.createApiToken;
    expect(secret).toMatch(/^bsk_/);
    const [stored] = await api.db.dataSource.query('SELECT token_hash FROM api_tokens WHERE id = $1', [token.id]);
    expect(stored.token_hash).not.toContain(secret.slice(4));
    expect(JSON.stringify((await api.graphql('{ apiTokens { id } }', {}, admin.session)).data)).not.toContain(secret);

    const read = await api.graphql(`query($id: ID!) { patient(id: $id) { patientId scans { id } } }`, { id: patientRowId }, secret);
    expect(read.data!.patient).toEqual({ patientId: 'MRN-7', scans: [{ id: scanId }] });
    // One row for the request: it read the patient and the patient's scans.
    const [audit] = await api.db.dataSource.query(`SELECT actor_token_id, action FROM audit_events WHERE action LIKE 'patient.read%' AND actor_token_id = $1`, [
      token.id,
    ]);
    expect(audit).toEqual({ actor_token_id: token.id, action: 'patient.read+scan.read' });

    // Last use is recorded to the minute: a second request at once writes nothing, one a while later does.
    const lastUsed = async () => (await api.db.dataSource.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [token.id]))[0].last_used_at as Date;
    const firstUse = await lastUsed();
    expect(firstUse).toBeInstanceOf(Date);
    await api.graphql('{ me { id } }', {}, secret);
    expect(await lastUsed()).toEqual(firstUse);
    await api.db.dataSource.query(`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [token.id]);
    await api.graphql('{ me { id } }', {}, secret);
    expect((await lastUsed()).getTime()).toBeGreaterThan(Date.now() - 60_000);

    await api.graphql(`mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, { id: token.id }, admin.session);
    expect((await api.graphql('{ me { id } }', {}, secret)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
