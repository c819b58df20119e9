import * as os from 'node:os';
import { seedSyntheticScans } from '@bonescan/db';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CARD, REGISTER, SET_STATUS, writeModelFolder } from '../testing/model-versions';
import { startTestApi, type TestApi } from '../testing/test-api';

const PAGE = `{ worklist(first: 20) { edges { node { id patient { name } } } } }`;
const USER_AGENT = 'RIS-poller/2.1 (audit test)';
const SCANS = 7;
/** A card whose threshold differs from the test default, so the audited value is this registration's. */
const CARD_VERSION = { ...CARD, version: 'audited', threshold: 0.37 };

interface AuditRow {
  action: string;
  patient_ids: string[];
  entity_ids: string[];
  client_address: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

describe('audit of a request', () => {
  let api: TestApi;
  let clinician: string;
  let admin: string;
  let clinicianId: string;

  beforeAll(async () => {
    api = await startTestApi({ env: { MODELS_DIR: os.tmpdir() } });
    const reader = await api.signInAs('CLINICIAN');
    clinician = reader.session;
    clinicianId = reader.user.id;
    admin = (await api.signInAs('ADMIN')).session;
    const model = await api.createModelVersion();
    await seedSyntheticScans(api.db.dataSource, { count: SCANS, modelVersionId: model.id });
  });
  afterAll(() => api.close());

  const rowsSince = async (id: string): Promise<AuditRow[]> =>
    api.db.dataSource.query(`SELECT action, patient_ids, entity_ids, client_address, user_agent, details FROM audit_events WHERE id > $1 ORDER BY id`, [id]);
  const lastId = async (): Promise<string> => (await api.db.dataSource.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_events`))[0].id;
  const seeded = async (): Promise<{ patients: string[]; scans: string[] }> => {
    const scans: Array<{ id: string; patient_id: string }> = await api.db.dataSource.query(`SELECT id, patient_id FROM scans`);
    return { patients: [...new Set(scans.map((s) => s.patient_id))].sort(), scans: scans.map((s) => s.id).sort() };
  };

  it('writes one row for a worklist poll, naming every patient and scan on the page, the client address and user agent', async () => {
    const before = await lastId();
    const { errors } = await api.graphql(PAGE, {}, clinician, { 'user-agent': USER_AGENT });
    expect(errors).toBeUndefined();
    const rows = await rowsSince(before);
    expect(rows).toHaveLength(1);
    const { patients, scans } = await seeded();
    expect([...rows[0].patient_ids].sort()).toEqual(patients);
    expect(rows[0].entity_ids).toEqual(expect.arrayContaining(scans));
    expect(rows[0].client_address).toMatch(/127\.0\.0\.1|::1/);
    expect(rows[0].user_agent).toBe(USER_AGENT);
    const [actor] = await api.db.dataSource.query(`SELECT actor_user_id FROM audit_events WHERE id > $1`, [before]);
    expect(actor.actor_user_id).toBe(clinicianId);
  });

  it('writes one row for a worklist read over WebSocket, with the address and user agent of the connection', async () => {
    const before = await lastId();
    const WithUserAgent = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'user-agent': USER_AGENT } });
      }
    };
    const client = createClient({
      url: `${api.app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WithUserAgent,
      connectionParams: { authorization: `Bearer ${clinician}` },
      retryAttempts: 0,
    });
    try {
      const answer = await new Promise<{ errors?: unknown }>((resolve, reject) =>
        client.subscribe({ query: PAGE }, { next: resolve, error: reject, complete: () => undefined }),
      );
      expect(answer.errors).toBeUndefined();
    } finally {
      await client.dispose();
    }
    const rows = await rowsSince(before);
    expect(rows).toHaveLength(1);
    expect([...rows[0].patient_ids].sort()).toEqual((await seeded()).patients);
    expect(rows[0].client_address).toMatch(/127\.0\.0\.1|::1/);
    expect(rows[0].user_agent).toBe(USER_AGENT);
  });

  it('writes the row of a request that failed part-way, with what it read and the error codes', async () => {
    const before = await lastId();
    // A clinician may read the page but not its ground truth: the answer carries data and FORBIDDEN errors.
    const { data, errors } = await api.graphql(`{ worklist(first: 20) { edges { node { id patient { name } groundTruth { mbd } } } } }`, {}, clinician);
    expect(data!.worklist.edges).toHaveLength(SCANS);
    expect(errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const rows = await rowsSince(before);
    expect(rows).toHaveLength(1);
    expect([...rows[0].patient_ids].sort()).toEqual((await seeded()).patients);
    expect(rows[0].details).toMatchObject({ errors: ['FORBIDDEN'] });
  });

  it('fails the request, showing no patient data, when its audit row cannot be written', async () => {
    await api.db.dataSource.query(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit disk full'; END $$`);
    await api.db.dataSource.query(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
    try {
      const answer = await api.graphql(PAGE, {}, clinician);
      expect(answer.status).toBe(500);
      expect(answer.data).toBeUndefined();
      expect(JSON.stringify(answer)).not.toContain('audit disk full');
    } finally {
      await api.db.dataSource.query(`DROP TRIGGER refuse_audit ON audit_events; DROP FUNCTION refuse_audit()`);
    }
  });

  it('records who registered a model version with its threshold, and who changed its status', async () => {
    const before = await lastId();
    const registered = await api.graphql(REGISTER, { path: writeModelFolder(CARD_VERSION) }, admin);
    expect(registered.errors).toBeUndefined();
    const id = registered.data!.registerModelVersion.id as string;
    expect((await api.graphql(SET_STATUS, { id, status: 'SHADOW' }, admin)).errors).toBeUndefined();
    const rows = await rowsSince(before);
    expect(rows.map((r) => [r.action, r.entity_ids, r.details])).toEqual([
      ['model-version.register', [id], expect.objectContaining({ threshold: CARD_VERSION.threshold, status: 'INACTIVE' })],
      ['model-version.status', [id], expect.objectContaining({ status: 'SHADOW' })],
    ]);
  });
});
