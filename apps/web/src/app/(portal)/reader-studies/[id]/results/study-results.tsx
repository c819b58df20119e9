'use client';

import { ApiBanner } from '../../../../../components/api-banner';
import { Estimate } from '../../../../../components/estimate';
import { useQuery } from '../../../../../components/use-api';
import { AucChart } from '../../../../../reader-studies/auc-chart';
import { ReaderStudyResultsQuery } from '../../../../../reader-studies/results-query';

const seconds = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value.toFixed(1)} s`);

/** The paper's Fig. 7: AUC per reader beside the AI, and time per case. */
export function StudyResults({ studyId }: { studyId: string }) {
  const { data, error } = useQuery(ReaderStudyResultsQuery, { id: studyId });
  if (error) return <ApiBanner error={error} />;
  if (!data) return <p aria-live="polite">Loading results…</p>;
  const results = data.readerStudyResults;
  const rows = [
    ...results.readers.map((row) => ({ name: row.reader?.name ?? 'unknown reader', ...row })),
    ...(results.ai ? [{ name: 'AI', ...results.ai }] : []),
  ];
  return (
    <section aria-labelledby="results-title">
      <div className="toolbar">
        <h1 id="results-title">Results: {results.study.name}</h1>
        <span className="muted">
          {results.study.mode.toLowerCase()} · {results.cases} cases ({results.casesWithGroundTruth} with ground truth) · {results.reads} reads
        </span>
        <a className="button" href={`/api/reader-studies/${studyId}/export`} download>
          Download .xlsx
        </a>
      </div>
      <AucChart rows={rows} />
      {rows.length === 0 ? (
        <p className="empty">No readings yet: results appear once readers have read cases.</p>
      ) : (
        <table className="data-table" aria-label="AUC per reader beside the AI">
          <thead>
            <tr>
              <th scope="col">Reader</th>
              <th scope="col">Cases read</th>
              <th scope="col">AUC (95% CI)</th>
              <th scope="col">Sensitivity</th>
              <th scope="col">Specificity</th>
              <th scope="col">Median time per case</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name}>
                <th scope="row">{row.name}</th>
                <td>{row.casesRead}</td>
                <td>
                  <Estimate estimate={row.figures.auc} />
                </td>
                <td>
                  <Estimate estimate={row.figures.sensitivity} percent />
                </td>
                <td>
                  <Estimate estimate={row.figures.specificity} percent />
                </td>
                <td>{seconds(row.medianSecondsPerCase)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        Readers&apos; AUC: median {results.readerAuc.median?.toFixed(3) ?? '—'} (IQR {results.readerAuc.q1?.toFixed(3) ?? '—'}–
        {results.readerAuc.q3?.toFixed(3) ?? '—'}){results.readerAuc.reason ? ` — ${results.readerAuc.reason}` : ''}. {results.readerScoreMapping}
      </p>
    </section>
  );
}
