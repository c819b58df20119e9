import { AuditEvent } from '@bonescan/db';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Viewer } from '../auth/viewer';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  patientId?: string | null;
  details?: Record<string, unknown>;
}

/** Where a request came from, as the audit records it. */
export interface Caller {
  address: string | null;
  userAgent: string | null;
}

/**
 * Collects who-read-what during one request and writes it as ONE row naming every record and patient, so a
 * 50-row worklist page costs one small row, not a hundred.
 *
 * The row is written before the response is sent (GraphQL: awaited in Apollo's willSendResponse; WebSocket: before
 * each result goes out; DICOMweb and pixel routes: before the body is written), not batched off the response path: a
 * batch still in memory is lost when the process dies, and a clinic must be able to answer "who saw this patient"
 * for every answer that left the server. When the write fails, flush throws and the caller fails the request, so no
 * read is ever answered unaudited.
 */
export class AuditLog {
  private readonly entries = new Map<string, AuditEntry>();

  constructor(
    private readonly viewer: Viewer | null,
    private readonly caller: Caller = { address: null, userAgent: null },
  ) {}

  record(entry: AuditEntry): void {
    this.entries.set(`${entry.action}:${entry.entityType}:${entry.entityId}`, entry);
  }

  /** Writes the request's row; `outcome` notes e.g. the error codes of a request that failed after reading. */
  async flush(dataSource: DataSource, outcome: Record<string, unknown> = {}): Promise<void> {
    if (this.entries.size === 0) return;
    const row = requestRow([...this.entries.values()], outcome);
    this.entries.clear();
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(AuditEvent)
      .values({
        ...row,
        actorUserId: this.viewer?.userId ?? null,
        actorTokenId: this.viewer?.token?.id ?? null,
        clientAddress: this.caller.address,
        userAgent: this.caller.userAgent,
        details: row.details as QueryDeepPartialEntity<Record<string, unknown>>,
      })
      .execute();
  }
}

/** One row for all a request's entries: distinct actions and types joined, every record and patient listed. */
function requestRow(entries: AuditEntry[], outcome: Record<string, unknown>) {
  const distinct = (values: string[]) => [...new Set(values)];
  const patientIds = distinct(entries.flatMap((e) => (e.patientId ? [e.patientId] : [])));
  const entityDetails = entries.filter((e) => e.details && Object.keys(e.details).length > 0);
  // A single entry keeps its details as they were; several are keyed by the record they describe.
  const details = entries.length === 1 ? { ...entries[0].details } : Object.fromEntries(entityDetails.map((e) => [e.entityId, e.details]));
  return {
    action: distinct(entries.map((e) => e.action)).join('+'),
    entityType: distinct(entries.map((e) => e.entityType)).join('+'),
    entityId: entries[0].entityId,
    entityIds: distinct(entries.map((e) => e.entityId)),
    patientId: patientIds.length === 1 ? patientIds[0] : null,
    patientIds,
    details: { ...details, ...outcome },
  };
}

/** What the audit notes about a request that answered with errors: their codes, never their messages. */
export function requestOutcome(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): Record<string, unknown> {
  if (!errors?.length) return {};
  return { errors: [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))] };
}

/** The caller of a REST route: its address behind the trusted proxies, and its user agent. */
export function callerOf(req: Request): Caller {
  return { address: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}
