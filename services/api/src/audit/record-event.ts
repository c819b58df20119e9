import { AuditEvent } from '@bonescan/db';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * One audit row written at once, inside the caller's transaction when it has one: for events that happen outside a
 * signed-in request (sign-ins and their refusals, the admin command line), where the request's AuditLog has no viewer.
 */
export function recordAuditEvent(
  manager: EntityManager,
  event: { actorUserId: string | null; action: string; entityType: string; entityId: string; details: Record<string, unknown>; clientAddress?: string },
): Promise<unknown> {
  return manager.insert(AuditEvent, { ...event, entityIds: [event.entityId], details: event.details as QueryDeepPartialEntity<Record<string, unknown>> });
}
