import { Patient, Scan } from '@bonescan/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Permission } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid, notFound } from '../graphql/errors';

@Resolver(() => Patient)
export class PatientsResolver {
  @Query(() => Patient)
  @Authorized<Permission>('scans:read')
  async patient(@Ctx() context: RequestContext, @Arg('id', () => ID) id: string): Promise<Patient> {
    assertUuid(id, 'patient');
    const patient = await context.loaders.patient.load(id);
    if (!patient) throw notFound('patient', id);
    context.audit.record({ action: 'patient.read', entityType: 'patient', entityId: id, patientId: id });
    return patient;
  }

  @FieldResolver(() => [Scan], { description: 'All scans of the patient, newest first' })
  async scans(@Root() patient: Patient, @Ctx() context: RequestContext): Promise<Scan[]> {
    const scans = await context.loaders.scansByPatient.load(patient.id);
    scans.forEach((scan) => context.audit.record({ action: 'scan.read', entityType: 'scan', entityId: scan.id, patientId: patient.id }));
    return scans;
  }
}
