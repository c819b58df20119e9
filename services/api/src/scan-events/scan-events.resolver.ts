import { Scan } from '@bonescan/db';
import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { Permission } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import { assertUuid, notFound } from '../graphql/errors';
import type { ScanEvents } from './scan-events';

/** A subscription's context: a request context that lives as long as the subscription, plus the event source. */
export interface SubscriptionContext extends RequestContext {
  scanEvents: ScanEvents;
}

@Resolver()
export class ScanEventsResolver {
  @Subscription(() => Scan, {
    description: 'A scan whose AI result or failure was just stored (only the given scan when scanId is set); over graphql-ws at /graphql',
    subscribe: ({ args, context }) => {
      const { scanEvents } = context as SubscriptionContext;
      if (args.scanId) assertUuid(args.scanId, 'scan', 'scanId');
      return scanEvents.subscribe(args.scanId ?? undefined);
    },
  })
  @Authorized<Permission>('scans:read')
  async scanUpdated(
    @Root() scanId: string,
    @Ctx() context: SubscriptionContext,
    @Arg('scanId', () => ID, { nullable: true }) _scanId: string | null,
  ): Promise<Scan> {
    // The context outlives one event: fresh loaders so each event reads the scan's current prediction.
    context.loaders = createLoaders(context.dataSource);
    const scan = await context.dataSource.getRepository(Scan).findOneBy({ id: scanId });
    if (!scan) throw notFound('scan', scanId);
    context.audit.record({ action: 'scan.read', entityType: 'scan', entityId: scan.id, patientId: scan.patientId });
    return scan;
  }
}
