import { ReaderStudy, ReaderStudyCase, Review, Scan } from '@bonescan/db';
import { createRandom } from '@bonescan/stats';
import { randomInt } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { checkRange } from '../analytics/estimate';
import { badInput, conflict, notFound } from '../graphql/errors';
import { ReviewsService } from '../reviews/reviews.service';
import type { BalancedCaseSample, BalancedCaseSampleInput, CreateReaderStudyInput, ReaderStudyReadingInput } from './reader-study.types';

/** 32-bit FNV-1a of a reader id: mixes the reader into the study's seed so each reader gets an own order. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Fisher–Yates shuffle, reproducible for (study seed, reader): a reader reopening the queue sees the same order. */
export function readerOrder<T>(items: readonly T[], studySeed: number, readerId: string): T[] {
  const random = createRandom((studySeed ^ fnv1a(readerId)) >>> 0);
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export class ReaderStudiesService {
  constructor(private readonly dataSource: DataSource) {}

  async create(leadId: string, input: CreateReaderStudyInput): Promise<ReaderStudy> {
    const name = input.name.trim();
    if (!name) throw badInput('name must not be blank', 'name');
    const repeated = input.scanIds.find((id, i) => input.scanIds.indexOf(id) !== i);
    if (repeated) throw badInput(`scan ${repeated} is listed twice: each case may appear once`, 'scanIds');
    const found = await this.dataSource.getRepository(Scan).find({ select: { id: true }, where: { id: In(input.scanIds) } });
    const known = new Set(found.map((s) => s.id));
    const unknown = input.scanIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw badInput(`${unknown.length} scan id(s) do not exist, e.g. ${unknown.slice(0, 3).join(', ')}`, 'scanIds');
    return this.dataSource.transaction(async (manager) => {
      const study = await manager.getRepository(ReaderStudy).save({ name, mode: input.mode, status: 'OPEN', createdById: leadId, seed: randomInt(0, 2 ** 31) });
      await manager.getRepository(ReaderStudyCase).insert(input.scanIds.map((scanId, i) => ({ readerStudyId: study.id, scanId, position: i + 1 })));
      return study;
    });
  }

  /** As the paper's 134-case set: half MBD, half not, drawn reproducibly from scans with ground truth. */
  async sampleBalancedCases(input: BalancedCaseSampleInput): Promise<BalancedCaseSample> {
    if (input.count % 2 !== 0) throw badInput(`count must be even to split into MBD and no-MBD halves, got ${input.count}`, 'count');
    if (input.range) checkRange(input.range);
    const half = input.count / 2;
    // Per class, the first `half` scans in an order fixed by the seed: a top-N heap over a hash, not a full sort.
    // Scans are joined only to filter by site or arrival: every ground truth names an existing scan
    // (foreign key), so without a filter the ground truths alone give the same draw at a fifth of the cost.
    const filtered = input.site != null || input.range != null;
    const order = (id: string) => `ORDER BY hashtext(${id}::text || $1::text), ${id} LIMIT $2`;
    const sql = filtered
      ? `SELECT s.id, g.mbd FROM scans s JOIN ground_truths g ON g.scan_id = s.id
         WHERE g.mbd = $3 AND ($4::text IS NULL OR s.site = $4) AND ($5::timestamptz IS NULL OR s.arrived_at >= $5) AND ($6::timestamptz IS NULL OR s.arrived_at < $6)
         ${order('s.id')}`
      : `SELECT g.scan_id AS id, g.mbd FROM ground_truths g WHERE g.mbd = $3 ${order('g.scan_id')}`;
    const filters = filtered ? [input.site ?? null, input.range?.from ?? null, input.range?.to ?? null] : [];
    const draw = (mbd: boolean): Promise<Array<{ id: string; mbd: boolean }>> => this.dataSource.query(sql, [input.seed ?? 1, half, mbd, ...filters]);
    const [positives, negatives] = await Promise.all([draw(true), draw(false)]);
    // Interleaved, so a list cut short stays balanced.
    const rows = positives.flatMap((p, i) => (negatives[i] ? [p, negatives[i]] : [p])).concat(negatives.slice(positives.length));
    const withMbd = rows.filter((r) => r.mbd).length;
    const withoutMbd = rows.length - withMbd;
    if (withMbd < half || withoutMbd < half) {
      throw badInput(
        `a balanced set of ${input.count} needs ${half} scans with MBD and ${half} without among scans with ground truth; there are ${withMbd} and ${withoutMbd}`,
        'count',
      );
    }
    return { scanIds: rows.map((r) => r.id), withMbd, withoutMbd };
  }

  async study(id: string): Promise<ReaderStudy> {
    const study = await this.dataSource.getRepository(ReaderStudy).findOneBy({ id });
    if (!study) throw notFound('reader study', id);
    return study;
  }

  async queue(studyId: string, readerId: string) {
    const study = await this.study(studyId);
    const cases = await this.dataSource.getRepository(ReaderStudyCase).find({ where: { readerStudyId: studyId }, order: { position: 'ASC' } });
    const readings = await this.dataSource.getRepository(Review).findBy({ readerStudyId: studyId, readerId });
    const readingByScan = new Map(readings.map((r) => [r.scanId, r]));
    const ordered = readerOrder(cases, study.seed, readerId).map((c, i) => ({
      caseId: c.id,
      order: i + 1,
      scanId: c.scanId,
      blinded: study.mode === 'BLINDED',
      reading: readingByScan.get(c.scanId) ?? null,
    }));
    return { study, cases: ordered, total: cases.length, done: readings.length };
  }

  async submitReading(readerId: string, input: ReaderStudyReadingInput): Promise<Review> {
    const studyCase = await this.dataSource.getRepository(ReaderStudyCase).findOneBy({ id: input.caseId });
    if (!studyCase) throw notFound('reader study case', input.caseId);
    const study = await this.study(studyCase.readerStudyId);
    if (study.status !== 'OPEN') throw conflict(`reader study "${study.name}" is closed: it accepts no more readings`);
    if (study.mode === 'BLINDED' && input.hotspotAssessments?.length) {
      throw badInput('this study is blinded: readers see no AI hotspots, so no hotspot reasons can be given', 'hotspotAssessments');
    }
    const earlier = await this.dataSource.getRepository(Review).findOneBy({ readerStudyId: study.id, readerId, scanId: studyCase.scanId });
    // The same draft sent twice is answered by ReviewsService with the first review; a second, different reading is refused.
    if (earlier && (!input.submissionKey || earlier.submissionKey !== input.submissionKey)) {
      throw conflict('you have already read this case in this study; each reader reads each case once');
    }
    return new ReviewsService(this.dataSource).submit(readerId, {
      ...input,
      scanId: studyCase.scanId,
      aiVisible: study.mode === 'AIDED',
      readerStudyId: study.id,
    });
  }

  async close(studyId: string): Promise<ReaderStudy> {
    const study = await this.study(studyId);
    study.status = 'CLOSED';
    return this.dataSource.getRepository(ReaderStudy).save(study);
  }
}
