import type { Config } from '@bonescan/config';
import type { Logger } from '@bonescan/logger';
import type { DataSource } from 'typeorm';
import type { AuditLog } from '../audit/audit-log';
import type { Viewer } from '../auth/viewer';
import type { SignInLimiter } from '../auth/sign-in-limiter';
import type { Loaders } from './loaders';

/** Everything a resolver may use for one request. */
export interface RequestContext {
  dataSource: DataSource;
  config: Config;
  logger: Logger;
  viewer: Viewer | null;
  loaders: Loaders;
  audit: AuditLog;
  /** Network address of the caller, for rate limits. */
  clientAddress: string;
  /** The browser's address when the portal itself sent the request (its signed statement holds): portal-only doors check it. */
  portalClientAddress?: string;
  signInLimiter: SignInLimiter;
}
