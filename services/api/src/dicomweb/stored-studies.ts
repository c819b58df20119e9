import type { DataSource } from 'typeorm';

/**
 * Read side of DICOMweb: the stored studies, series and instances as QIDO-RS answers them (PS3.18 §10.6),
 * in the DICOM JSON model (PS3.18 F.2), and the original objects WADO-RS returns.
 */
export type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

export interface StudyQuery {
  PatientID?: string;
  StudyInstanceUID?: string;
  AccessionNumber?: string;
  /** YYYYMMDD, or a range YYYYMMDD-YYYYMMDD (either end may be open). */
  StudyDate?: string;
  limit: number;
  offset: number;
}

export interface StoredInstanceRow {
  scanId: string;
  patientRowId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  blobKey: string;
}

const NM_SOP_CLASSES = ['1.2.840.10008.5.1.4.1.1.20', '1.2.840.10008.5.1.4.1.1.5'];

const attribute = (vr: string, value: unknown): { vr: string; Value?: unknown[] } =>
  value === null || value === undefined || value === '' ? { vr } : { vr, Value: [value] };
const dicomDate = (date: Date | string | null): string | null => (date ? new Date(date).toISOString().slice(0, 10).replace(/-/g, '') : null);
const modalityOf = (sopClassUid: string) => (NM_SOP_CLASSES.includes(sopClassUid) ? 'NM' : 'OT');

/** One row of the study query below, as node-postgres returns it. */
interface StudyRow {
  id: string;
  patient_row_id: string;
  study_instance_uid: string;
  accession_number: string | null;
  description: string | null;
  acquired_at: Date | null;
  patient_id: string;
  name: string | null;
  birth_date: string | null;
  sex: string | null;
  series: number;
  instances: number;
  sop_classes: string[];
}

export class DateRangeError extends Error {}

/** StudyDate matching on the acquisition date: one day, or a range with optional open ends. */
function studyDateRange(value: string): [string | null, string | null] {
  const match = /^(\d{8})?(-)?(\d{8})?$/.exec(value);
  if (!match || (!match[1] && !match[3])) throw new DateRangeError(`StudyDate "${value}" is not YYYYMMDD or a range YYYYMMDD-YYYYMMDD`);
  const iso = (d: string | undefined) => {
    if (!d) return null;
    const day = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
    // A day the calendar does not have (month 13, 31 April) is the caller's mistake, not the database's.
    if (Number.isNaN(Date.parse(day)) || new Date(day).toISOString().slice(0, 10) !== day)
      throw new DateRangeError(`StudyDate "${value}" names ${d}, which is not a calendar date`);
    return day;
  };
  return match[2] ? [iso(match[1]), iso(match[3])] : [iso(match[1]), iso(match[1])];
}

export async function searchStudies(
  dataSource: DataSource,
  query: StudyQuery,
  baseUrl: string,
): Promise<Array<{ json: DicomJson; scanId: string; patientRowId: string }>> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (query.PatientID) add('p.patient_id = ?', query.PatientID);
  if (query.StudyInstanceUID) add('s.study_instance_uid = ?', query.StudyInstanceUID);
  if (query.AccessionNumber) add('s.accession_number = ?', query.AccessionNumber);
  if (query.StudyDate) {
    const [from, to] = studyDateRange(query.StudyDate);
    if (from) add("(s.acquired_at AT TIME ZONE 'UTC')::date >= ?::date", from);
    if (to) add("(s.acquired_at AT TIME ZONE 'UTC')::date <= ?::date", to);
  }
  values.push(query.limit, query.offset);
  const rows: StudyRow[] = await dataSource.query(
    `SELECT s.id, s.study_instance_uid, s.accession_number, s.description, s.acquired_at, s.patient_id AS patient_row_id,
            p.patient_id, p.name, p.birth_date::text AS birth_date, p.sex,
            count(DISTINCT i.series_instance_uid)::int AS series, count(i.id)::int AS instances, array_agg(DISTINCT i.sop_class_uid) AS sop_classes
       FROM scans s JOIN patients p ON p.id = s.patient_id JOIN dicom_instances i ON i.scan_id = s.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY s.id, p.id ORDER BY s.arrived_at DESC, s.id LIMIT $${values.length - 1} OFFSET $${values.length}`,
    values,
  );
  return rows.map((row) => ({
    scanId: row.id,
    patientRowId: row.patient_row_id,
    json: {
      '00080020': attribute('DA', dicomDate(row.acquired_at)),
      '00080050': attribute('SH', row.accession_number),
      '00080061': { vr: 'CS', Value: [...new Set(row.sop_classes.map(modalityOf))] },
      '00081030': attribute('LO', row.description),
      '00081190': attribute('UR', `${baseUrl}/studies/${row.study_instance_uid}`),
      '00100010': row.name ? { vr: 'PN', Value: [{ Alphabetic: row.name }] } : { vr: 'PN' },
      '00100020': attribute('LO', row.patient_id),
      '00100030': attribute('DA', row.birth_date?.replace(/-/g, '')),
      '00100040': attribute('CS', row.sex),
      '0020000D': attribute('UI', row.study_instance_uid),
      '00201206': attribute('IS', row.series),
      '00201208': attribute('IS', row.instances),
    },
  }));
}

/** Instances of one study, optionally of one series or one SOP instance, in arrival order. */
export async function findInstances(dataSource: DataSource, ids: { study: string; series?: string; instance?: string }): Promise<StoredInstanceRow[]> {
  const rows: Array<Record<string, string>> = await dataSource.query(
    `SELECT s.id AS scan_id, s.patient_id AS patient_row_id, s.study_instance_uid, i.series_instance_uid, i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid, i.blob_key
       FROM dicom_instances i JOIN scans s ON s.id = i.scan_id
      WHERE s.study_instance_uid = $1 AND ($2::text IS NULL OR i.series_instance_uid = $2) AND ($3::text IS NULL OR i.sop_instance_uid = $3)
      ORDER BY i.received_at, i.id`,
    [ids.study, ids.series ?? null, ids.instance ?? null],
  );
  return rows.map((row) => ({
    scanId: row.scan_id,
    patientRowId: row.patient_row_id,
    studyInstanceUid: row.study_instance_uid,
    seriesInstanceUid: row.series_instance_uid,
    sopInstanceUid: row.sop_instance_uid,
    sopClassUid: row.sop_class_uid,
    transferSyntaxUid: row.transfer_syntax_uid,
    blobKey: row.blob_key,
  }));
}

export function seriesJson(instances: StoredInstanceRow[], baseUrl: string): DicomJson[] {
  const bySeries = new Map<string, StoredInstanceRow[]>();
  for (const instance of instances) bySeries.set(instance.seriesInstanceUid, [...(bySeries.get(instance.seriesInstanceUid) ?? []), instance]);
  return [...bySeries.values()].map((members) => ({
    '00080060': attribute('CS', modalityOf(members[0].sopClassUid)),
    '00081190': attribute('UR', `${baseUrl}/studies/${members[0].studyInstanceUid}/series/${members[0].seriesInstanceUid}`),
    '0020000D': attribute('UI', members[0].studyInstanceUid),
    '0020000E': attribute('UI', members[0].seriesInstanceUid),
    '00201209': attribute('IS', members.length),
  }));
}

export function instanceJson(instance: StoredInstanceRow, baseUrl: string): DicomJson {
  return {
    '00020010': attribute('UI', instance.transferSyntaxUid),
    '00080016': attribute('UI', instance.sopClassUid),
    '00080018': attribute('UI', instance.sopInstanceUid),
    '00081190': attribute('UR', `${baseUrl}/studies/${instance.studyInstanceUid}/series/${instance.seriesInstanceUid}/instances/${instance.sopInstanceUid}`),
    '0020000D': attribute('UI', instance.studyInstanceUid),
    '0020000E': attribute('UI', instance.seriesInstanceUid),
  };
}
