import { VIEWS, type View } from '@bonescan/clinical';
import { Prediction, ReaderStudy, ReaderStudyCase, ScanView } from '@bonescan/db';
import type { DataSource } from 'typeorm';
import { createLoaders } from '../graphql/loaders';

/**
 * A study case's images and AI result are named through the case (`<case id>.AP`, `<case id>.PA`, `<case id>.AI`),
 * never by their scan view's or prediction's id: those ids are also in the worklist, where they would lead a reader
 * from the case to the scan, its patient and its ground truth.
 */
export const studyCaseViewId = (caseId: string, view: View): string => `${caseId}.${view}`;
export const studyCasePredictionId = (caseId: string): string => `${caseId}.AI`;

const AI = 'AI';
const STUDY_CASE_PART = new RegExp(`^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.(${[...VIEWS, AI].join('|')})$`, 'i');

function parse(id: string): { caseId: string; part: string } | null {
  const match = STUDY_CASE_PART.exec(id);
  return match ? { caseId: match[1].toLowerCase(), part: match[2].toUpperCase() } : null;
}

/** The case and view a study-case image id names; null for anything else. */
export function parseStudyCaseViewId(id: string): { caseId: string; view: View } | null {
  const named = parse(id);
  return named && named.part !== AI ? { caseId: named.caseId, view: named.part as View } : null;
}

/** The case a study-case AI result id names; null for anything else. */
export function parseStudyCasePredictionId(id: string): string | null {
  const named = parse(id);
  return named?.part === AI ? named.caseId : null;
}

/** The scan view behind a study-case image, with its scan (whose patient the audit trail names); null when there is none. */
export async function findStudyCaseView(dataSource: DataSource, caseId: string, view: View): Promise<ScanView | null> {
  const studyCase = await dataSource.getRepository(ReaderStudyCase).findOneBy({ id: caseId });
  if (!studyCase) return null;
  return dataSource.getRepository(ScanView).findOne({ where: { scanId: studyCase.scanId, view }, relations: { scan: true } });
}

/** The AI result an aided study shows for a case, with its scan; null in a blinded study or when the scan has none. */
export async function findStudyCasePrediction(dataSource: DataSource, caseId: string): Promise<Prediction | null> {
  const studyCase = await dataSource.getRepository(ReaderStudyCase).findOneBy({ id: caseId });
  if (!studyCase) return null;
  const study = await dataSource.getRepository(ReaderStudy).findOneByOrFail({ id: studyCase.readerStudyId });
  if (study.mode === 'BLINDED') return null;
  const [shown] = await createLoaders(dataSource).shownPredictionByScan.load(studyCase.scanId);
  return shown ? dataSource.getRepository(Prediction).findOne({ where: { id: shown.id }, relations: { scan: true } }) : null;
}
