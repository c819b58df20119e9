import { randomUUID } from 'node:crypto';
import { User, UserIdentity } from '@bonescan/db';
import { identityAudit, newPage, platformAccount, signInThroughHospital, startSsoStack, type SsoStack } from './sso-stack';

const KEYCLOAK_SUBJECT = randomUUID();

/** The hospital's accounts: e-mails as the hospital writes them, which need not match the platform's case. */
const HOSPITAL_ACCOUNTS = {
  'r.one': { email: 'Reader.One@Hospital.test', email_verified: true, name: 'Dr Reader One' },
  [KEYCLOAK_SUBJECT]: { email: 'reader.two@hospital.test', email_verified: true },
  'sso-only': { email: 'sso.only@hospital.test', email_verified: true },
  'new-lead': { email: 'new.lead@hospital.test', email_verified: true, name: 'Dr New Lead', groups: ['staff', 'nm-leads'] },
};

describe('hospital single sign-on (oidc-provider, Chromium)', () => {
  let stack: SsoStack;
  let readerOne: User;
  let readerTwo: User;
  let ssoOnly: User;

  beforeAll(async () => {
    stack = await startSsoStack(HOSPITAL_ACCOUNTS);
    readerOne = await platformAccount(stack.api, { email: 'reader.one@hospital.test', role: 'CLINICIAN' });
    readerTwo = await platformAccount(stack.api, { email: 'Reader.Two@hospital.test', role: 'CLINICIAN' });
    ssoOnly = await platformAccount(stack.api, { email: 'sso.only@hospital.test', role: 'CLINICIAN' });
  });
  afterAll(() => stack?.close());

  const linksOf = (userId: string) => stack.api.db.dataSource.getRepository(UserIdentity).findBy({ userId });

  it('lets a hospital account whose e-mail matches a clinician reach the worklist as that clinician, and links the two', async () => {
    const page = await newPage(stack);
    await signInThroughHospital(page, stack, 'r.one');
    await page.waitForURL('**/worklist');
    await page.getByText(`${readerOne.name} · clinician`).first().waitFor();
    expect(await linksOf(readerOne.id)).toEqual([expect.objectContaining({ issuer: stack.idp.issuer, subject: 'r.one' })]);
    const audit = (await identityAudit(stack.api)).filter((row) => row.entityId === readerOne.id);
    expect(audit.map((row) => row.action)).toEqual(['user.identity-link', 'user.sign-in']);
    expect(audit[1]).toMatchObject({ actorUserId: readerOne.id, details: { method: 'oidc', issuer: stack.idp.issuer, subject: 'r.one' } });
  });

  it('signs the same hospital account in again by its issuer and subject', async () => {
    const page = await newPage(stack);
    await signInThroughHospital(page, stack, 'r.one');
    await page.waitForURL('**/worklist');
    expect(await linksOf(readerOne.id)).toHaveLength(1);
    const actions = (await identityAudit(stack.api)).filter((row) => row.entityId === readerOne.id).map((row) => row.action);
    expect(actions).toEqual(['user.identity-link', 'user.sign-in', 'user.sign-in']);
  });

  it('lets an account with a UUID subject (as Keycloak issues) in by its e-mail', async () => {
    const page = await newPage(stack);
    await signInThroughHospital(page, stack, KEYCLOAK_SUBJECT);
    await page.waitForURL('**/worklist');
    await page.getByText(`${readerTwo.name} · clinician`).first().waitFor();
    expect(await linksOf(readerTwo.id)).toEqual([expect.objectContaining({ subject: KEYCLOAK_SUBJECT })]);
    const signIns = (await identityAudit(stack.api)).filter((row) => row.action === 'user.sign-in' && row.actorUserId === readerTwo.id);
    expect(signIns).toEqual([expect.objectContaining({ details: { method: 'oidc', issuer: stack.idp.issuer, subject: KEYCLOAK_SUBJECT } })]);
  });

  it('lets an account without a password (single sign-on only) in', async () => {
    const page = await newPage(stack);
    await signInThroughHospital(page, stack, 'sso-only');
    await page.waitForURL('**/worklist');
    await page.getByText(`${ssoOnly.name} · clinician`).first().waitFor();
    const signIns = (await identityAudit(stack.api)).filter((row) => row.action === 'user.sign-in' && row.actorUserId === ssoOnly.id);
    expect(signIns).toHaveLength(1);
  });

  it('creates an account with the role the hospital grants once an administrator turns account creation on', async () => {
    // As after a restart with OIDC_PROVISION_USERS=true: the running API reads its configuration per request.
    stack.api.config.OIDC_PROVISION_USERS = true;
    try {
      const page = await newPage(stack);
      await signInThroughHospital(page, stack, 'new-lead');
      await page.waitForURL('**/worklist');
      const created = await stack.api.db.dataSource.getRepository(User).findOneByOrFail({ email: 'new.lead@hospital.test' });
      expect(created).toMatchObject({ role: 'LEAD', name: 'Dr New Lead', passwordHash: null, active: true });
      const audit = (await identityAudit(stack.api)).filter((row) => row.entityId === created.id);
      expect(audit.map((row) => row.action)).toEqual(['user.provision', 'user.sign-in']);
      expect(audit[0].details).toEqual({ role: 'LEAD', issuer: stack.idp.issuer, subject: 'new-lead' });
    } finally {
      stack.api.config.OIDC_PROVISION_USERS = false;
    }
  });
});
