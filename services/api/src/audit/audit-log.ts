import { AuditEvent } from '@bonescan/db';
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

/**
 * Collects who-read-what during one request and writes it in a single INSERT when the response
 * goes out, so auditing a 50-row worklist page costs one statement, not fifty.
 */
export class AuditLog {
  private readonly entries = new Map<string, AuditEntry>();

  constructor(private readonly viewer: Viewer | null) {}

  record(entry: AuditEntry): void {
    this.entries.set(`${entry.action}:${entry.entityType}:${entry.entityId}`, entry);
  }

  async flush(dataSource: DataSource): Promise<void> {
    if (this.entries.size === 0) return;
    const rows = [...this.entries.values()].map((entry): QueryDeepPartialEntity<AuditEvent> => ({
      actorUserId: this.viewer?.userId ?? null,
      actorTokenId: this.viewer?.token?.id ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      patientId: entry.patientId ?? null,
      details: (entry.details ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
    }));
    this.entries.clear();
    await dataSource.createQueryBuilder().insert().into(AuditEvent).values(rows).execute();
  }
}
