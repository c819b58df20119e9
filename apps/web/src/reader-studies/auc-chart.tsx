import type { ReaderStudyResults } from './results-query';

type Row = { name: string; figures: NonNullable<ReaderStudyResults['ai']>['figures'] };

/** As the paper's Fig. 7: each reader's AUC with its 95 % interval, the AI's beside them in another colour. */
export function AucChart({ rows }: { rows: Row[] }) {
  const plotted = rows.filter((row) => row.figures.auc.value !== null);
  if (plotted.length === 0) return <p className="empty">No AUC to plot yet: each reader needs cases with MBD confirmed and ruled out by ground truth.</p>;
  const width = 60 + plotted.length * 70;
  const height = 180;
  const y = (auc: number) => 10 + (1 - auc) * (height - 40) * 2; // axis from 0.5 to 1
  const clamp = (auc: number) => y(Math.max(0.5, auc));
  return (
    <svg role="img" aria-label="AUC per reader with 95% intervals, the AI beside them" width={width} height={height} className="chart">
      {[0.5, 0.75, 1].map((tick) => (
        <g key={tick}>
          <line x1={36} x2={width} y1={y(tick)} y2={y(tick)} stroke="#c9d0d9" />
          <text x={0} y={y(tick) + 4} fontSize={11} fill="#4d5866">
            {tick.toFixed(2)}
          </text>
        </g>
      ))}
      {plotted.map((row, index) => {
        const x = 70 + index * 70;
        const { value, lower, upper } = row.figures.auc;
        const colour = row.name === 'AI' ? '#a8161b' : '#0b5cad';
        return (
          <g key={row.name}>
            {lower !== null && upper !== null && <line x1={x} x2={x} y1={clamp(lower)} y2={clamp(upper)} stroke={colour} strokeWidth={2} />}
            <circle cx={x} cy={clamp(value!)} r={5} fill={colour} />
            <text x={x} y={height - 4} fontSize={11} textAnchor="middle" fill="#14181f">
              {row.name.length > 10 ? `${row.name.slice(0, 9)}…` : row.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
