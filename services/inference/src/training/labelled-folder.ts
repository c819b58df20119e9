/**
 * A labelled folder: DICOM files plus labels.csv (case_id,file,mbd,findings,centre), as `npm run phantoms`
 * writes it and as a hospital exports its own data. `file` is relative to the folder; a scan stored as two
 * single-frame objects lists both, separated by ';'. Everything is checked before any training starts.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}

export interface LabelledCase {
  caseId: string;
  /** Absolute paths of the scan's DICOM objects. */
  files: string[];
  /** 1 = metastatic bone disease. */
  mbd: 0 | 1;
  findings: string;
  centre: string;
  /** Folder the case came from (several folders can be combined). */
  folder: string;
}

export const LABELS_FILE = 'labels.csv';
const REQUIRED_COLUMNS = ['case_id', 'file', 'mbd'] as const;

/** Splits one CSV line, honouring double-quoted fields (findings may contain commas). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

function parseLabel(value: string, where: string): 0 | 1 {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'mbd') return 1;
  if (v === '0' || v === 'false' || v === 'no_mbd') return 0;
  throw new TrainingDataError(`${where}: mbd must be 1 or 0 (or true/false), found "${value}"`);
}

export function readLabelledFolder(folder: string): LabelledCase[] {
  const dir = path.resolve(folder);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new TrainingDataError(`data folder ${folder} does not exist`);
  const labelsPath = path.join(dir, LABELS_FILE);
  if (!fs.existsSync(labelsPath)) {
    throw new TrainingDataError(`${folder} has no ${LABELS_FILE}; expected columns ${REQUIRED_COLUMNS.join(',')},findings,centre`);
  }
  const lines = fs
    .readFileSync(labelsPath, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new TrainingDataError(`${labelsPath} lists no scans`);
  const header = splitCsvLine(lines[0]).map((h) => h.trim());
  const missingColumns = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missingColumns.length > 0) throw new TrainingDataError(`${labelsPath} lacks column(s) ${missingColumns.join(', ')}`);
  const column = (row: string[], name: string) => row[header.indexOf(name)] ?? '';
  const cases: LabelledCase[] = [];
  const missingFiles: string[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    const row = splitCsvLine(line);
    const where = `${labelsPath} line ${i + 2}`;
    const caseId = column(row, 'case_id').trim();
    if (caseId === '') throw new TrainingDataError(`${where}: empty case_id`);
    if (seen.has(caseId)) throw new TrainingDataError(`${where}: case_id ${caseId} appears twice`);
    seen.add(caseId);
    const relative = column(row, 'file')
      .split(';')
      .map((f) => f.trim())
      .filter(Boolean);
    if (relative.length === 0) throw new TrainingDataError(`${where}: no file for case ${caseId}`);
    const files = relative.map((f) => path.resolve(dir, f));
    files.forEach((f, j) => (fs.existsSync(f) ? undefined : missingFiles.push(relative[j])));
    cases.push({
      caseId,
      files,
      mbd: parseLabel(column(row, 'mbd'), where),
      findings: column(row, 'findings'),
      centre: column(row, 'centre').trim(),
      folder: dir,
    });
  });
  if (missingFiles.length > 0) {
    const shown = missingFiles.slice(0, 10).join(', ');
    throw new TrainingDataError(
      `${labelsPath} names ${missingFiles.length} file(s) that do not exist in ${folder}: ${shown}${missingFiles.length > 10 ? ', …' : ''}`,
    );
  }
  return cases;
}

/** Reads and checks several folders; case ids must be unique across them. */
export function readLabelledFolders(folders: string[]): LabelledCase[] {
  if (folders.length === 0) throw new TrainingDataError('no data folder given (--data <folder>)');
  const cases = folders.flatMap(readLabelledFolder);
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.caseId)) throw new TrainingDataError(`case_id ${c.caseId} appears in more than one data folder`);
    ids.add(c.caseId);
  }
  return cases;
}

/** SHA-256 over every case's id, label and file bytes, in case-id order: the same data gives the same print. */
export function fingerprintOf(cases: LabelledCase[]): string {
  const hash = crypto.createHash('sha256');
  for (const c of [...cases].sort((a, b) => a.caseId.localeCompare(b.caseId))) {
    hash.update(`${c.caseId}\0${c.mbd}\0`);
    for (const file of c.files) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

export function countByCentre(cases: LabelledCase[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of cases) counts[c.centre || 'unknown'] = (counts[c.centre || 'unknown'] ?? 0) + 1;
  return counts;
}
