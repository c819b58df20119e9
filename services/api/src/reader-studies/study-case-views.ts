import { VIEWS, type View } from '@bonescan/clinical';
import { ReaderStudyCase, ScanView } from '@bonescan/db';
import type { DataSource } from 'typeorm';

/**
 * A study case's image is named through the case (`<case id>.<AP|PA>`), never by its scan view's id: the view id is
 * also in the worklist, where it would lead a reader from the blinded case to the scan, its AI call and its patient.
 */
export const studyCaseViewId = (caseId: string, view: View): string => `${caseId}.${view}`;

const STUDY_CASE_VIEW_ID = new RegExp(`^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.(${VIEWS.join('|')})$`, 'i');

/** The case and view a study-case image id names; null for anything else. */
export function parseStudyCaseViewId(id: string): { caseId: string; view: View } | null {
  const match = STUDY_CASE_VIEW_ID.exec(id);
  return match ? { caseId: match[1].toLowerCase(), view: match[2].toUpperCase() as View } : null;
}

/** The scan view behind a study-case image, with its scan (whose patient the audit trail names); null when there is none. */
export async function findStudyCaseView(dataSource: DataSource, caseId: string, view: View): Promise<ScanView | null> {
  const studyCase = await dataSource.getRepository(ReaderStudyCase).findOneBy({ id: caseId });
  if (!studyCase) return null;
  return dataSource.getRepository(ScanView).findOne({ where: { scanId: studyCase.scanId, view }, relations: { scan: true } });
}
