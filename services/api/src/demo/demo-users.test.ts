import { verify } from '@node-rs/argon2';
import { loadConfig } from '@bonescan/config';
import { User } from '@bonescan/db';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { seedDemoUsers } from './demo-users';

const DEMO_EMAILS = ['admin@demo.bonescan', 'clinician@demo.bonescan', 'integrator@demo.bonescan', 'lead@demo.bonescan'];
/** Passwords the demo accounts once had, published in the repository. */
const PUBLISHED_PASSWORDS = ['demo-clinician-2026', 'demo-lead-2026!', 'demo-admin-2026!', 'demo-integrator-2026'];

describe('demo accounts', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('are never created with NODE_ENV=production, DEMO_DATA=true or not', async () => {
    expect(await seedDemoUsers(db.dataSource, loadConfig({ NODE_ENV: 'production' }))).toEqual([]);
    expect(await seedDemoUsers(db.dataSource, loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }))).toEqual([]);
    expect(await db.dataSource.query('SELECT count(*)::int AS users FROM users')).toEqual([{ users: 0 }]);
  });

  it('are not created with DEMO_DATA=false', async () => {
    expect(await seedDemoUsers(db.dataSource, loadConfig({ DEMO_DATA: 'false' }))).toEqual([]);
    expect(await db.dataSource.query('SELECT count(*)::int AS users FROM users')).toEqual([{ users: 0 }]);
  });

  it('in demo mode get fresh random passwords, known only when they are created', async () => {
    const created = await seedDemoUsers(db.dataSource, loadConfig({}));
    expect(created.map((signIn) => signIn.email).sort()).toEqual(DEMO_EMAILS);
    expect(new Set(created.map((signIn) => signIn.password)).size).toBe(DEMO_EMAILS.length);

    const stored = await db.dataSource.getRepository(User).find();
    for (const signIn of created) {
      const hash = stored.find((user) => user.email === signIn.email)!.passwordHash!;
      expect(await verify(hash, signIn.password)).toBe(true);
      for (const published of PUBLISHED_PASSWORDS) expect(await verify(hash, published)).toBe(false);
    }

    // A later start: the accounts stay as they are and no password is handed out again.
    expect(await seedDemoUsers(db.dataSource, loadConfig({}))).toEqual([]);
    const after = await db.dataSource.getRepository(User).find();
    expect(after.map((user) => [user.email, user.passwordHash]).sort()).toEqual(stored.map((user) => [user.email, user.passwordHash]).sort());
  });
});
