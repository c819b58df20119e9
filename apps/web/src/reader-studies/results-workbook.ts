import ExcelJS from 'exceljs';
import type { ReaderStudyResults } from './results-query';

type Figures = NonNullable<ReaderStudyResults['ai']>['figures'];

const READER_COLUMNS = [
  { header: 'Reader', key: 'reader', width: 24 },
  { header: 'Cases read', key: 'casesRead', width: 11 },
  { header: 'Cases with ground truth', key: 'cases', width: 12 },
  { header: 'AUC', key: 'auc', width: 8 },
  { header: 'AUC 95% CI low', key: 'aucLower', width: 10 },
  { header: 'AUC 95% CI high', key: 'aucUpper', width: 10 },
  { header: 'Sensitivity', key: 'sensitivity', width: 11 },
  { header: 'Specificity', key: 'specificity', width: 11 },
  { header: 'F1', key: 'f1', width: 8 },
  { header: 'Median seconds per case', key: 'medianSeconds', width: 12 },
  { header: 'Total minutes', key: 'totalMinutes', width: 10 },
  { header: 'Why a figure is missing', key: 'reason', width: 40 },
];

function figureRow(name: string, casesRead: number, medianSeconds: number | null, totalMinutes: number, figures: Figures) {
  return {
    reader: name,
    casesRead,
    cases: figures.cases,
    auc: figures.auc.value,
    aucLower: figures.auc.lower,
    aucUpper: figures.auc.upper,
    sensitivity: figures.sensitivity.value,
    specificity: figures.specificity.value,
    f1: figures.f1.value,
    medianSeconds,
    totalMinutes,
    reason: [figures.auc.reason, figures.sensitivity.reason, figures.specificity.reason].filter(Boolean).join('; ') || null,
  };
}

const READING_COLUMNS = [
  { header: 'Case', key: 'caseNumber', width: 7 },
  { header: 'Reader', key: 'reader', width: 24 },
  { header: 'Verdict', key: 'verdict', width: 11 },
  { header: 'Confidence (1–5)', key: 'confidence', width: 11 },
  { header: 'Seconds', key: 'seconds', width: 9 },
  { header: 'AI visible', key: 'aiVisible', width: 9 },
  { header: 'Ground truth MBD', key: 'groundTruth', width: 11 },
  { header: 'Comment', key: 'comment', width: 40 },
  { header: 'Read at', key: 'readAt', width: 22 },
];

/** The paper's reader-study spreadsheet: one row per read, readers beside the AI, and a summary. */
export async function resultsWorkbook(results: ReaderStudyResults): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'BoneScan';
  const reads = workbook.addWorksheet('Reads');
  reads.columns = READING_COLUMNS;
  reads.getRow(1).font = { bold: true };
  for (const reading of results.readings) {
    reads.addRow({
      ...reading,
      reader: reading.reader.name,
      seconds: reading.timeSpentMs / 1000,
      groundTruth: reading.groundTruthMbd === null ? 'not recorded' : reading.groundTruthMbd ? 'yes' : 'no',
    });
  }

  const readers = workbook.addWorksheet('Readers');
  readers.columns = READER_COLUMNS;
  readers.getRow(1).font = { bold: true };
  for (const row of results.readers)
    readers.addRow(figureRow(row.reader?.name ?? 'unknown reader', row.casesRead, row.medianSecondsPerCase ?? null, row.totalMinutes, row.figures));
  if (results.ai) readers.addRow(figureRow('AI', results.ai.casesRead, results.ai.medianSecondsPerCase ?? null, results.ai.totalMinutes, results.ai.figures));

  const summary = workbook.addWorksheet('Summary');
  summary.columns = [
    { header: 'Figure', key: 'figure', width: 36 },
    { header: 'Value', key: 'value', width: 60 },
  ];
  summary.getRow(1).font = { bold: true };
  const model = results.modelVersion
    ? `${results.modelVersion.name} ${results.modelVersion.version}${results.modelVersion.syntheticData ? ' (research use only)' : ''}`
    : 'none';
  const rows: Array<[string, string | number | null]> = [
    ['Study', results.study.name],
    ['Mode', results.study.mode],
    ['Status', results.study.status],
    ['Cases', results.cases],
    ['Cases with ground truth', results.casesWithGroundTruth],
    ['Reads', results.reads],
    ['Readers', results.readers.length],
    ['Model version', model],
    ['AI AUC', results.aiAucBootstrap.value],
    ['AI AUC 95% CI', interval(results.aiAucBootstrap.lower, results.aiAucBootstrap.upper, results.aiAucBootstrap.method)],
    ['Reader AUC median', results.readerAuc.median ?? results.readerAuc.reason],
    ['Reader AUC IQR', interval(results.readerAuc.q1, results.readerAuc.q3, null)],
    ['Reader F1 median', results.readerF1.median ?? results.readerF1.reason],
    ['Reader score', results.readerScoreMapping],
  ];
  rows.forEach(([figure, value]) => summary.addRow({ figure, value }));
  return workbook.xlsx.writeBuffer() as Promise<ArrayBuffer>;
}

const interval = (lower: number | null | undefined, upper: number | null | undefined, method: string | null | undefined) =>
  lower === null || lower === undefined || upper === null || upper === undefined
    ? null
    : `${lower.toFixed(3)}–${upper.toFixed(3)}${method ? ` (${method})` : ''}`;
