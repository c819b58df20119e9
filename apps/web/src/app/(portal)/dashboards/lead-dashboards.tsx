'use client';

import { useMemo, useState } from 'react';
import { ApiBanner } from '../../../components/api-banner';
import { download, toCsv } from '../../../components/download';
import { Estimate } from '../../../components/estimate';
import { ModelBadge } from '../../../components/model-badge';
import { useQuery } from '../../../components/use-api';
import { graphql, type ResultOf } from '../../../graphql/graphql';

const Models = graphql(`
  query DashboardModels {
    modelVersions {
      id
      name
      version
      status
      syntheticData
    }
  }
`);

const Percentiles = graphql(`
  fragment Percentiles on DurationPercentiles {
    p50Minutes
    p90Minutes
    scans
  }
`);
const Figures = graphql(`
  fragment Figures on DiagnosticFigures {
    cases
    positives
    negatives
    sensitivity {
      value
      lower
      upper
      reason
    }
    specificity {
      value
      lower
      upper
      reason
    }
    auc {
      value
      lower
      upper
      reason
    }
  }
`);

const Dashboards = graphql(
  `
    query Dashboards($range: DateRange!, $modelVersionId: ID!, $site: String) {
      turnaround(range: $range, groupBy: DAY, site: $site) {
        targetMinutes
        total {
          scans
          backlog
          overTarget
          overTargetShare
          arrivalToAi {
            ...Percentiles
          }
          aiToFirstRead {
            ...Percentiles
          }
          arrivalToFinal {
            ...Percentiles
          }
        }
        periods {
          start
          scans
          backlog
          overTarget
          arrivalToAi {
            ...Percentiles
          }
          aiToFirstRead {
            ...Percentiles
          }
          arrivalToFinal {
            ...Percentiles
          }
        }
      }
      agreement(modelVersionId: $modelVersionId, range: $range) {
        reads
        observedAgreement
        kappa {
          value
          lower
          upper
          reason
        }
        aiPositivesOverturned {
          value
          lower
          upper
          reason
        }
        aiNegativesUpgraded {
          value
          lower
          upper
          reason
        }
        hotspotReasons {
          reason
          count
        }
      }
      diagnosticPerformance(modelVersionId: $modelVersionId, range: $range) {
        ai {
          ...Figures
        }
        readersUnaided {
          ...Figures
        }
        readersAided {
          ...Figures
        }
        readerScoreMapping
      }
    }
  `,
  [Percentiles, Figures],
);

type DashboardData = ResultOf<typeof Dashboards>;
type Period = DashboardData['turnaround']['periods'][number];

const DAY = 86_400_000;
const minutes = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : value < 120 ? `${Math.round(value)} min` : `${(value / 60).toFixed(1)} h`;

/** Turnaround, agreement and diagnostic performance for department leads, over a chosen period. */
export function LeadDashboards() {
  const [days, setDays] = useState(30);
  const [site, setSite] = useState('');
  const models = useQuery(Models, {});
  const model = models.data?.modelVersions.find((candidate) => candidate.status === 'ACTIVE') ?? models.data?.modelVersions[0];
  const range = useMemo(() => {
    const to = new Date(Math.ceil(Date.now() / DAY) * DAY + DAY);
    return { from: new Date(to.getTime() - (days + 1) * DAY).toISOString(), to: to.toISOString() };
  }, [days]);

  return (
    <section aria-labelledby="dashboards-title">
      <div className="toolbar">
        <h1 id="dashboards-title">Dashboards</h1>
        {model && <ModelBadge model={model} />}
        <label>
          Period{' '}
          <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
            <option value={7}>last 7 days</option>
            <option value={30}>last 30 days</option>
            <option value={90}>last 90 days</option>
            <option value={365}>last year</option>
          </select>
        </label>
        <label>
          Site <input value={site} onChange={(event) => setSite(event.target.value)} placeholder="all sites" />
        </label>
      </div>
      {models.error && <ApiBanner error={models.error} />}
      {models.data && !model && <p className="empty">No figures yet: no model version is registered, so there are no AI results to measure.</p>}
      {model && <DashboardFigures modelVersionId={model.id} range={range} site={site.trim() || null} />}
    </section>
  );
}

function DashboardFigures({ modelVersionId, range, site }: { modelVersionId: string; range: { from: string; to: string }; site: string | null }) {
  const { data, error } = useQuery(Dashboards, { modelVersionId, range, site });
  if (error) return <ApiBanner error={error} />;
  if (!data) return <p aria-live="polite">Loading figures…</p>;
  const { turnaround, agreement, diagnosticPerformance } = data;
  return (
    <div className="dashboard-grid">
      <section className="card" aria-labelledby="turnaround-title">
        <h2 id="turnaround-title">Turnaround</h2>
        {turnaround.total.scans === 0 ? (
          <p className="empty">No scans arrived in this period{site ? ` at ${site}` : ''}.</p>
        ) : (
          <>
            <p>
              {turnaround.total.scans} scans · backlog <strong data-testid="backlog">{turnaround.total.backlog}</strong> · over the{' '}
              {minutes(turnaround.targetMinutes)} target: {turnaround.total.overTarget}
            </p>
            <TurnaroundChart periods={turnaround.periods} />
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Interval</th>
                  <th scope="col">p50</th>
                  <th scope="col">p90</th>
                  <th scope="col">Scans</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ['Arrival → AI', turnaround.total.arrivalToAi],
                    ['AI → first read', turnaround.total.aiToFirstRead],
                    ['Arrival → final read', turnaround.total.arrivalToFinal],
                  ] as const
                ).map(([label, value]) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    <td>{minutes(value.p50Minutes)}</td>
                    <td>{minutes(value.p90Minutes)}</td>
                    <td>{value.scans}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" onClick={() => download('turnaround.csv', turnaroundCsv(turnaround.periods), 'text/csv')}>
              Export CSV
            </button>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="agreement-title">
        <h2 id="agreement-title">AI–reader agreement</h2>
        {agreement.reads === 0 ? (
          <p className="empty">No reads of scans this model called in this period, so agreement cannot be measured.</p>
        ) : (
          <dl className="figures">
            <dt>Reads</dt>
            <dd>{agreement.reads}</dd>
            <dt>Same call as the AI</dt>
            <dd>{agreement.observedAgreement === null ? '—' : `${(agreement.observedAgreement * 100).toFixed(1)}%`}</dd>
            <dt>Cohen&apos;s κ</dt>
            <dd>
              <Estimate estimate={agreement.kappa} />
            </dd>
            <dt>AI-positives overturned</dt>
            <dd>
              <Estimate estimate={agreement.aiPositivesOverturned} percent />
            </dd>
            <dt>AI-negatives upgraded</dt>
            <dd>
              <Estimate estimate={agreement.aiNegativesUpgraded} percent />
            </dd>
          </dl>
        )}
      </section>

      <section className="card wide" aria-labelledby="performance-title">
        <h2 id="performance-title">AI alone vs readers unaided vs readers aided</h2>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Reading</th>
              <th scope="col">Cases</th>
              <th scope="col">Sensitivity</th>
              <th scope="col">Specificity</th>
              <th scope="col">AUC</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['AI alone', diagnosticPerformance.ai],
                ['Readers unaided', diagnosticPerformance.readersUnaided],
                ['Readers aided', diagnosticPerformance.readersAided],
              ] as const
            ).map(([label, figures]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{figures.cases}</td>
                <td>
                  <Estimate estimate={figures.sensitivity} percent />
                </td>
                <td>
                  <Estimate estimate={figures.specificity} percent />
                </td>
                <td>
                  <Estimate estimate={figures.auc} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">{diagnosticPerformance.readerScoreMapping}</p>
      </section>
    </div>
  );
}

/** p50 and p90 arrival → final read per day, as bars against the day's scans. */
function TurnaroundChart({ periods }: { periods: Period[] }) {
  const width = 520;
  const height = 140;
  const max = Math.max(1, ...periods.map((period) => period.arrivalToFinal.p90Minutes ?? 0));
  const step = width / Math.max(1, periods.length);
  return (
    <svg role="img" aria-label="Arrival to final read per day: p50 (dark) and p90 (light) bars" width={width} height={height + 16} className="chart">
      {periods.map((period, index) => {
        const p50 = ((period.arrivalToFinal.p50Minutes ?? 0) / max) * height;
        const p90 = ((period.arrivalToFinal.p90Minutes ?? 0) / max) * height;
        return (
          <g key={period.start ?? index} transform={`translate(${index * step}, 0)`}>
            <rect x={2} y={height - p90} width={Math.max(2, step - 4)} height={p90} fill="#9cc3e8" />
            <rect x={2} y={height - p50} width={Math.max(2, step - 4)} height={p50} fill="#0b5cad" />
            <title>
              {period.start?.slice(0, 10)}: p50 {minutes(period.arrivalToFinal.p50Minutes)}, p90 {minutes(period.arrivalToFinal.p90Minutes)}, {period.scans}{' '}
              scans
            </title>
          </g>
        );
      })}
      <text x={0} y={height + 13} fontSize={11} fill="#4d5866">
        max {minutes(max)}
      </text>
    </svg>
  );
}

function turnaroundCsv(periods: Period[]): string {
  const header = [
    'day',
    'scans',
    'backlog',
    'over_target',
    'arrival_to_ai_p50_min',
    'arrival_to_ai_p90_min',
    'ai_to_first_read_p50_min',
    'ai_to_first_read_p90_min',
    'arrival_to_final_p50_min',
    'arrival_to_final_p90_min',
  ];
  const rows = periods.map((period) => [
    period.start?.slice(0, 10),
    period.scans,
    period.backlog,
    period.overTarget,
    period.arrivalToAi.p50Minutes,
    period.arrivalToAi.p90Minutes,
    period.aiToFirstRead.p50Minutes,
    period.aiToFirstRead.p90Minutes,
    period.arrivalToFinal.p50Minutes,
    period.arrivalToFinal.p90Minutes,
  ]);
  return toCsv([header, ...rows]);
}
