import { TOKEN_SCOPES, type Role, type TokenScope } from '@bonescan/clinical';
import { createParameterDecorator, type AuthCheckerFn } from 'type-graphql';
import { forbidden, unauthenticated } from '../graphql/errors';

/** What a caller may do. Token scopes name the same permissions an integrator can be granted. */
export type Permission = TokenScope | 'reviews:write' | 'reader-studies:read' | 'users:manage' | 'tokens:manage' | 'models:manage' | 'reader-studies:manage';

/** What a reader (READER_ROLES) does in person: reads scans, records verdicts and study readings, sees the studies open to them. */
const READING: Permission[] = ['scans:read', 'reviews:write', 'ground-truth:write', 'reader-studies:read'];

/**
 * Reads are filed only by the reader roles, in person: no token scope carries `reviews:write`. Ground truth is read
 * (`Scan.groundTruth`) only with `analytics:read` — by those who measure readers and the AI against it — never by the
 * clinicians who may be asked to read the same scans blind in a study. Administrators run the studies' paperwork
 * beside leads but read nothing.
 */
const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  CLINICIAN: new Set<Permission>(READING),
  LEAD: new Set<Permission>([...READING, 'analytics:read', 'reader-studies:manage']),
  // Integrators act only through tokens; what a token may do is its scopes.
  INTEGRATOR: new Set<Permission>(TOKEN_SCOPES),
  ADMIN: new Set<Permission>([...TOKEN_SCOPES, 'users:manage', 'tokens:manage', 'models:manage', 'reader-studies:manage', 'reader-studies:read']),
};

/** The signed-in person (portal session) or integrator (API token) behind a request. */
export interface Viewer {
  userId: string;
  role: Role;
  /** Set when the request came with an API token: the token's scopes further bound the role. */
  token?: { id: string; scopes: ReadonlySet<string> };
  /** Set when the request came with a portal session: the session sign-out ends. */
  sessionId?: string;
}

export function can(viewer: Viewer, permission: Permission): boolean {
  if (!ROLE_PERMISSIONS[viewer.role].has(permission)) return false;
  if (viewer.role === 'INTEGRATOR' && !viewer.token) return false; // integrators have no session rights
  return !viewer.token || viewer.token.scopes.has(permission);
}

/** Permissions a role can hand to one of its tokens. */
export const grantableScopes = (role: Role): TokenScope[] => TOKEN_SCOPES.filter((scope) => ROLE_PERMISSIONS[role].has(scope));

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated('Sign in, or send an API token as "Authorization: Bearer <token>"');
  return viewer;
}

export function requirePermission(viewer: Viewer | null, permission: Permission): Viewer {
  const signedIn = requireViewer(viewer);
  if (!can(signedIn, permission)) {
    const through = signedIn.token ? 'this API token' : `the ${signedIn.role} role`;
    throw forbidden(`${permission} is not allowed for ${through}`);
  }
  return signedIn;
}

/** What the access checks need of a request: who is behind it. */
interface WithViewer {
  viewer: Viewer | null;
}

/**
 * Decides `@Authorized(permission)`: runs before the field's arguments are read, and throws the same
 * UNAUTHENTICATED or FORBIDDEN error, with the same message, as every other door of the API.
 */
export const authChecker: AuthCheckerFn<WithViewer, Permission> = ({ context }, permissions) => {
  const viewer = requireViewer(context.viewer);
  permissions.forEach((permission) => requirePermission(viewer, permission));
  return true;
};

/** The caller of an `@Authorized` field, known to be signed in by then. */
export const SignedInViewer = () => createParameterDecorator<WithViewer>(({ context }) => requireViewer(context.viewer));
