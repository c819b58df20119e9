import { ReaderStudy, type Review } from '@bonescan/db';
import { In, type DataSource } from 'typeorm';
import { can, type Viewer } from '../auth/viewer';

/**
 * The reads of a scan a viewer may see. Routine reads are the scan's record and open to all its readers; a reader-study
 * reading stays blind: its own reader sees it, and those who run studies see it once the study is closed. Anyone else
 * seeing it would unblind the study (another reader's call on the same case) and name who made it.
 */
export async function visibleReads(dataSource: DataSource, viewer: Viewer | null, reads: Review[]): Promise<Review[]> {
  const blind = reads.filter((read) => read.readerStudyId !== null && read.readerId !== viewer?.userId);
  if (blind.length === 0) return reads;
  const closed =
    viewer && can(viewer, 'reader-studies:manage')
      ? await closedStudies(
          dataSource,
          blind.map((read) => read.readerStudyId!),
        )
      : new Set<string>();
  const hidden = new Set(blind.filter((read) => !closed.has(read.readerStudyId!)));
  return reads.filter((read) => !hidden.has(read));
}

async function closedStudies(dataSource: DataSource, ids: string[]): Promise<Set<string>> {
  const studies = await dataSource.getRepository(ReaderStudy).find({ select: { id: true }, where: { id: In([...new Set(ids)]), status: 'CLOSED' } });
  return new Set(studies.map((study) => study.id));
}
