import type { Role } from '@bonescan/clinical';
import type { Config } from '@bonescan/config';
import { User, UserIdentity } from '@bonescan/db';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAuditEvent } from '../audit/record-event';
import { isUniqueViolation } from '../graphql/errors';
import { IdTokenRefused, verifyIdToken } from './identity-provider';

/** Why a hospital identity was not let in; the portal words each one for the person at the screen. */
export type SingleSignOnRefusal =
  | 'identity-provider-unreachable'
  | 'id-token-invalid'
  | 'claim-missing'
  | 'email-unverified'
  | 'account-unknown'
  | 'account-deactivated'
  | 'account-linked-elsewhere'
  | 'role-unknown';

/**
 * Why the portal refused a single sign-on before it asked the API: next-auth checks the identity provider's answer
 * (state, nonce) and redeems its code itself. A fixed set, never free text, since the portal only names which it was.
 */
export enum PortalSignInRefusal {
  NONCE_MISMATCH = 'nonce-mismatch',
  STATE_MISMATCH = 'state-mismatch',
  IDP_UNREACHABLE = 'idp-unreachable',
  CLIENT_REJECTED = 'client-rejected',
  CALLBACK_ERROR = 'callback-error',
}

export class SingleSignOnRefused extends Error {
  constructor(
    readonly reason: SingleSignOnRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Roles single sign-on may create, most privileged first: integrators act through API tokens, never a portal session. */
const PROVISIONED_ROLES: readonly Role[] = ['ADMIN', 'LEAD', 'CLINICIAN'];

interface HospitalIdentity {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

/** `value=ROLE,value=ROLE`, already checked for shape by the configuration loader. */
function roleMap(config: Config): Map<string, Role> | null {
  if (!config.OIDC_ROLE_MAP) return null;
  return new Map(config.OIDC_ROLE_MAP.split(',').map((entry) => entry.split('=') as [string, Role]));
}

/** The most privileged role the role claim grants, or null when it grants none the platform knows. */
function grantedRole(identity: HospitalIdentity, config: Config): Role | null {
  const raw = config.OIDC_ROLE_CLAIM ? identity.claims[config.OIDC_ROLE_CLAIM] : undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
  const map = roleMap(config);
  const granted = new Set(values.map((value) => (map ? map.get(value) : (value as Role))));
  return PROVISIONED_ROLES.find((role) => granted.has(role)) ?? null;
}

/** The claim that names the person's platform account, checked as the configuration requires. */
function matchingValue(identity: HospitalIdentity, config: Config): string {
  const claim = config.OIDC_MATCH_CLAIM;
  const value = identity.claims[claim];
  if (typeof value !== 'string' || !value.trim()) {
    throw new SingleSignOnRefused('claim-missing', `The hospital sign-in service sent no ${claim} for this account`);
  }
  if (claim === 'email' && identity.claims.email_verified !== true) {
    throw new SingleSignOnRefused('email-unverified', 'The hospital sign-in service has not verified this account’s e-mail address');
  }
  return value.trim();
}

/**
 * Hospital single sign-on to platform accounts: the identity provider's issuer + subject once linked, else the
 * configured claim matched to an account's e-mail (and the pair linked then), else — when enabled — a new account
 * with the role the identity provider grants. Every outcome, refusals included, is an audit row.
 */
export class SingleSignOn {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
  ) {}

  async signIn(idToken: string): Promise<User> {
    const { OIDC_ISSUER, OIDC_CLIENT_ID } = this.config;
    if (!OIDC_ISSUER || !OIDC_CLIENT_ID)
      throw new SingleSignOnRefused('identity-provider-unreachable', 'Single sign-on is not configured on the API (OIDC_ISSUER, OIDC_CLIENT_ID)');
    let identity: HospitalIdentity | null = null;
    try {
      const claims = await verifyIdToken(idToken, OIDC_ISSUER, OIDC_CLIENT_ID);
      identity = { issuer: claims.iss, subject: claims.sub, claims };
      const found = identity;
      const signIn = () => this.dataSource.transaction((manager) => this.account(manager, found));
      // Two first sign-ins of one person at once (two tabs): the one that lost the race finds the link the other made.
      return await signIn().catch((error: unknown) => {
        if (isUniqueViolation(error)) return signIn();
        throw error;
      });
    } catch (error) {
      const refusal = error instanceof IdTokenRefused ? new SingleSignOnRefused(error.reason, error.message) : error;
      if (refusal instanceof SingleSignOnRefused) await this.recordRefusal(refusal, identity);
      throw refusal;
    }
  }

  private async account(manager: EntityManager, identity: HospitalIdentity): Promise<User> {
    const { issuer, subject } = identity;
    const linked = await manager.findOne(UserIdentity, { where: { issuer, subject }, relations: { user: true } });
    if (linked) return this.admit(manager, linked.user, identity);
    const value = matchingValue(identity, this.config);
    const user = await manager.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:value)', { value }).getOne();
    if (user) {
      if (await manager.existsBy(UserIdentity, { userId: user.id, issuer })) {
        throw new SingleSignOnRefused(
          'account-linked-elsewhere',
          `The platform account ${user.email} is already linked to another account at the hospital sign-in service`,
        );
      }
      return this.admit(manager, await this.link(manager, user, identity), identity);
    }
    if (!this.config.OIDC_PROVISION_USERS) throw new SingleSignOnRefused('account-unknown', `No platform account matches ${value}`);
    return this.admit(manager, await this.provision(manager, value, identity), identity);
  }

  private async admit(manager: EntityManager, user: User, identity: HospitalIdentity): Promise<User> {
    if (!user.active) throw new SingleSignOnRefused('account-deactivated', `The platform account ${user.email} is deactivated`);
    await this.audit(manager, user.id, 'user.sign-in', user.id, { method: 'oidc', issuer: identity.issuer, subject: identity.subject });
    return user;
  }

  private async link(manager: EntityManager, user: User, identity: HospitalIdentity): Promise<User> {
    await manager.insert(UserIdentity, { userId: user.id, issuer: identity.issuer, subject: identity.subject });
    await this.audit(manager, user.id, 'user.identity-link', user.id, {
      issuer: identity.issuer,
      subject: identity.subject,
      claim: this.config.OIDC_MATCH_CLAIM,
    });
    return user;
  }

  private async provision(manager: EntityManager, email: string, identity: HospitalIdentity): Promise<User> {
    const role = grantedRole(identity, this.config);
    if (!role) {
      const claim = this.config.OIDC_ROLE_CLAIM ?? '(OIDC_ROLE_CLAIM unset)';
      throw new SingleSignOnRefused('role-unknown', `The hospital sign-in service grants no platform role through ${claim} for ${email}`);
    }
    const name = typeof identity.claims.name === 'string' && identity.claims.name.trim() ? identity.claims.name.trim() : email;
    const user = await manager.save(manager.create(User, { email, name, role, passwordHash: null, active: true }));
    await this.audit(manager, user.id, 'user.provision', user.id, { role, issuer: identity.issuer, subject: identity.subject });
    await manager.insert(UserIdentity, { userId: user.id, issuer: identity.issuer, subject: identity.subject });
    return user;
  }

  /** A refusal the portal made itself: no identity is known, only the browser's address. */
  async recordPortalRefusal(reason: PortalSignInRefusal, clientAddress: string): Promise<void> {
    const details = { method: 'oidc', reason, issuer: this.config.OIDC_ISSUER, subject: null };
    await recordAuditEvent(this.dataSource.manager, {
      actorUserId: null,
      action: 'user.sign-in-refused',
      entityType: 'user',
      entityId: 'unknown',
      details,
      clientAddress,
    });
  }

  private async recordRefusal(refusal: SingleSignOnRefused, identity: HospitalIdentity | null): Promise<void> {
    const details = { method: 'oidc', reason: refusal.reason, issuer: identity?.issuer ?? this.config.OIDC_ISSUER, subject: identity?.subject ?? null };
    await this.audit(this.dataSource.manager, null, 'user.sign-in-refused', identity ? `${identity.issuer}#${identity.subject}` : 'unknown', details);
  }

  private audit(manager: EntityManager, actorUserId: string | null, action: string, entityId: string, details: Record<string, unknown>): Promise<unknown> {
    return recordAuditEvent(manager, { actorUserId, action, entityType: 'user', entityId, details });
  }
}
