import { GroundTruth, Patient, Prediction, Review, Scan, ScanView } from '@bonescan/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Permission } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid, notFound } from '../graphql/errors';
import { visibleReads } from '../reader-studies/blinded-readings';
import { findWorklistPage } from './worklist.service';
import { ScanConnection, WorklistFilter, WorklistSort } from './worklist.types';

const recordScanRead = (context: RequestContext, scan: Scan) =>
  context.audit.record({ action: 'scan.read', entityType: 'scan', entityId: scan.id, patientId: scan.patientId });

@Resolver(() => Scan)
export class ScansResolver {
  @Query(() => ScanConnection, {
    description: 'Scans to read, AI-positive first by probability (or newest first), a page at a time',
  })
  @Authorized<Permission>('scans:read')
  async worklist(
    @Ctx() context: RequestContext,
    @Arg('filter', () => WorklistFilter, { nullable: true }) filter: WorklistFilter | null,
    @Arg('sort', () => WorklistSort, { defaultValue: WorklistSort.AI_PRIORITY }) sort: WorklistSort,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<ScanConnection> {
    const page = await findWorklistPage(context.dataSource, { filter: filter ?? {}, sort, first, after });
    page.edges.forEach(({ node }) => recordScanRead(context, node));
    return page;
  }

  @Query(() => Scan)
  @Authorized<Permission>('scans:read')
  async scan(@Ctx() context: RequestContext, @Arg('id', () => ID) id: string): Promise<Scan> {
    assertUuid(id, 'scan');
    const scan = await context.dataSource.getRepository(Scan).findOneBy({ id });
    if (!scan) throw notFound('scan', id);
    recordScanRead(context, scan);
    return scan;
  }

  @FieldResolver(() => Patient)
  async patient(@Root() scan: Scan, @Ctx() context: RequestContext): Promise<Patient> {
    const patient = await context.loaders.patient.load(scan.patientId);
    if (!patient) throw notFound('patient', scan.patientId);
    context.audit.record({ action: 'patient.read', entityType: 'patient', entityId: patient.id, patientId: patient.id });
    return patient;
  }

  @FieldResolver(() => [ScanView], { description: 'AP and PA; one only while the partner view has not arrived' })
  views(@Root() scan: Scan, @Ctx() context: RequestContext): Promise<ScanView[]> {
    return context.loaders.viewsByScan.load(scan.id);
  }

  @FieldResolver(() => Prediction, { nullable: true, description: 'The AI result readers see (never a shadow model’s)' })
  async prediction(@Root() scan: Scan, @Ctx() context: RequestContext): Promise<Prediction | null> {
    const [shown] = await context.loaders.shownPredictionByScan.load(scan.id);
    return shown ?? null;
  }

  @FieldResolver(() => [Review], {
    description: 'Routine reads; a reader-study reading only to its own reader, and to those who run studies once the study is closed',
  })
  async reviews(@Root() scan: Scan, @Ctx() context: RequestContext): Promise<Review[]> {
    return visibleReads(context.dataSource, context.viewer, await context.loaders.reviewsByScan.load(scan.id));
  }

  @FieldResolver(() => GroundTruth, {
    nullable: true,
    description: 'Only to those who measure readers and the AI against it (analytics:read), never to the readers themselves',
  })
  @Authorized<Permission>('analytics:read')
  async groundTruth(@Root() scan: Scan, @Ctx() context: RequestContext): Promise<GroundTruth | null> {
    const [truth] = await context.loaders.groundTruthByScan.load(scan.id);
    return truth ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'Read by at least one reader' })
  read(@Root() scan: Scan): boolean {
    return scan.firstReadAt !== null;
  }
}
