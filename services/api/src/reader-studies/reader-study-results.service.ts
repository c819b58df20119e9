import { READER_ROLES } from '@bonescan/clinical';
import { ModelVersion, User } from '@bonescan/db';
import { aucCi, medianWithQuartiles } from '@bonescan/stats';
import { In, type DataSource } from 'typeorm';
import { diagnosticFigures, READER_SCORE_MAPPING, readerCallSql, readerScoreSql, type ScoredCases } from '../analytics/diagnostic-figures';
import { estimate, missing, type Estimate } from '../analytics/estimate';
import { conflict, notFound } from '../graphql/errors';
import { ReaderStudiesService } from './reader-studies.service';
import type { AcrossReaders, ReaderStudyResults, StudyReaderResult, StudyReading } from './reader-study.types';

/** One read (or AI call) of one study case; `mbd` is null while the case has no ground truth. */
interface CaseRead {
  who: string | null;
  score: number;
  called: boolean;
  mbd: boolean | null;
  ms: number;
}

const AI_BOOTSTRAP = { resamples: 100, seed: 1 };

/** Readings of people in a reader role ($2) only: a machine account's reading, however it got in, is no reader's. */
const BY_READERS = `JOIN users reader ON reader.id = r.reader_id AND reader.role = ANY($2::user_role[])`;

function across(values: Array<number | null>, what: string): AcrossReaders {
  const known = values.filter((v): v is number => v !== null);
  const summary = medianWithQuartiles(known);
  if (!summary) return { median: null, iqr: null, q1: null, q3: null, readers: 0, reason: `no reader has enough cases with ground truth for ${what}` };
  return { median: summary.median, q1: summary.q1, q3: summary.q3, iqr: summary.q3 - summary.q1, readers: known.length, reason: null };
}

function resultOf(reads: CaseRead[], reader: User | null): StudyReaderResult {
  const judged: ScoredCases[] = reads.filter((r) => r.mbd !== null).map((r) => ({ score: r.score, called: r.called, mbd: r.mbd!, n: 1 }));
  const seconds = reads.map((r) => r.ms / 1000);
  return {
    reader,
    readerId: reader?.id ?? null,
    casesRead: reads.length,
    figures: diagnosticFigures(judged),
    medianSecondsPerCase: medianWithQuartiles(seconds)?.median ?? null,
    totalMinutes: seconds.reduce((s, x) => s + x, 0) / 60,
  };
}

/** The AI's AUC on the study cases with the paper's bootstrap interval (DeLong is given in ai.figures). */
function aiAucBootstrap(reads: CaseRead[]): Estimate {
  const judged = reads.filter((r) => r.mbd !== null);
  const positives = judged.filter((r) => r.mbd).length;
  const negatives = judged.length - positives;
  if (positives < 2 || negatives < 2)
    return missing(`AUC needs at least 2 cases with MBD confirmed and 2 without; there are ${positives} and ${negatives}`, judged.length);
  const labels = judged.map((r) => (r.mbd ? 1 : 0) as 0 | 1);
  return estimate(
    aucCi(
      judged.map((r) => r.score),
      labels,
      AI_BOOTSTRAP,
    ),
    `bootstrap (${AI_BOOTSTRAP.resamples} resamples, seed ${AI_BOOTSTRAP.seed}, stratified by class)`,
    {
      denominator: judged.length,
    },
  );
}

/** The paper's analysis of a reader study: per-reader AUC from confidence, median and IQR, the AI beside them. */
export class ReaderStudyResultsService {
  constructor(private readonly dataSource: DataSource) {}

  async results(studyId: string, modelVersionId: string | null): Promise<ReaderStudyResults> {
    const study = await new ReaderStudiesService(this.dataSource).study(studyId);
    if (study.status !== 'CLOSED') throw conflict(`reader study "${study.name}" is still open: its readings stay blind until a lead closes it`);
    const model = await this.modelVersion(modelVersionId);
    const [counts]: Array<{ cases: number; judged: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS cases, count(g.id)::int AS judged
       FROM reader_study_cases c LEFT JOIN ground_truths g ON g.scan_id = c.scan_id WHERE c.reader_study_id = $1`,
      [studyId],
    );
    const reads: CaseRead[] = await this.dataSource.query(
      `SELECT r.reader_id AS who, ${readerScoreSql('r')} AS score, ${readerCallSql('r')} AS called, g.mbd, r.time_spent_ms AS ms
       FROM reviews r ${BY_READERS} LEFT JOIN ground_truths g ON g.scan_id = r.scan_id WHERE r.reader_study_id = $1`,
      [studyId, [...READER_ROLES]],
    );
    const aiCalls: CaseRead[] = model
      ? await this.dataSource.query(
          `SELECT NULL AS who, p.probability AS score, p.label = 'MBD' AS called, g.mbd, p.latency_ms AS ms
           FROM reader_study_cases c JOIN predictions p ON p.scan_id = c.scan_id AND p.model_version_id = $2
           LEFT JOIN ground_truths g ON g.scan_id = c.scan_id WHERE c.reader_study_id = $1`,
          [studyId, model.id],
        )
      : [];
    const readerIds = [...new Set(reads.map((r) => r.who!))];
    const users = readerIds.length ? await this.dataSource.getRepository(User).findBy({ id: In(readerIds) }) : [];
    const readers = users
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((user) =>
        resultOf(
          reads.filter((r) => r.who === user.id),
          user,
        ),
      );
    return {
      study,
      cases: counts.cases,
      casesWithGroundTruth: counts.judged,
      reads: reads.length,
      readers,
      readerAuc: across(
        readers.map((r) => r.figures.auc.value),
        'an AUC (2 with MBD and 2 without)',
      ),
      readerF1: across(
        readers.map((r) => r.figures.f1.value),
        'F1',
      ),
      ai: aiCalls.length ? resultOf(aiCalls, null) : null,
      aiAucBootstrap: model ? aiAucBootstrap(aiCalls) : missing('no model version is active and none was named'),
      modelVersion: model,
      readerScoreMapping: READER_SCORE_MAPPING,
      readings: await this.readings(studyId, users),
    };
  }

  private async readings(studyId: string, readers: User[]): Promise<StudyReading[]> {
    const byId = new Map(readers.map((reader) => [reader.id, reader]));
    const rows: Array<Omit<StudyReading, 'reader'> & { readerId: string }> = await this.dataSource.query(
      `SELECT c.position AS "caseNumber", r.reader_id AS "readerId", r.verdict, r.confidence, r.comment,
              r.time_spent_ms AS "timeSpentMs", r.ai_visible AS "aiVisible", g.mbd AS "groundTruthMbd", r.created_at AS "readAt"
       FROM reviews r ${BY_READERS}
       JOIN reader_study_cases c ON c.reader_study_id = r.reader_study_id AND c.scan_id = r.scan_id
       LEFT JOIN ground_truths g ON g.scan_id = r.scan_id
       WHERE r.reader_study_id = $1 ORDER BY c.position, r.created_at`,
      [studyId, [...READER_ROLES]],
    );
    return rows.map(({ readerId, ...reading }) => ({ ...reading, reader: byId.get(readerId)! }));
  }

  /** The named model version, else the active one (the one readers of an aided study saw). */
  private async modelVersion(id: string | null): Promise<ModelVersion | null> {
    const repository = this.dataSource.getRepository(ModelVersion);
    if (!id) return repository.findOne({ where: { status: 'ACTIVE' }, order: { createdAt: 'DESC' } });
    const model = await repository.findOneBy({ id });
    if (!model) throw notFound('model version', id);
    return model;
  }
}
