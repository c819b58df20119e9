import { GroundTruth, Scan } from '@bonescan/db';
import type { DataSource } from 'typeorm';
import { badInput, notFound } from '../graphql/errors';
import type { RecordGroundTruthInput } from './ground-truth.input';

function checkDiagnosisDate(value: string): void {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw badInput(`diagnosedOn ${value} is not a calendar date`, 'diagnosedOn');
  if (date.getTime() > Date.now()) throw badInput(`diagnosedOn ${value} is in the future`, 'diagnosedOn');
}

/** The definitive diagnosis of a scan (biopsy, follow-up, SPECT/CT): one per scan, the latest recording wins. */
export class GroundTruthService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records or corrects the diagnosis; returns it with the scan it belongs to, whose patient the audit trail names. */
  async record(recordedById: string, input: RecordGroundTruthInput): Promise<{ groundTruth: GroundTruth; scan: Scan }> {
    checkDiagnosisDate(input.diagnosedOn);
    const scan = await this.dataSource.getRepository(Scan).findOneBy({ id: input.scanId });
    if (!scan) throw notFound('scan', input.scanId);
    const values = { mbd: input.mbd, source: input.source, diagnosedOn: input.diagnosedOn, note: input.note ?? null, recordedById };
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(GroundTruth)
      .values({ scanId: scan.id, ...values })
      .orUpdate(['mbd', 'source', 'diagnosed_on', 'note', 'recorded_by_id'], ['scan_id'])
      .execute();
    return { groundTruth: await this.dataSource.getRepository(GroundTruth).findOneByOrFail({ scanId: scan.id }), scan };
  }
}
