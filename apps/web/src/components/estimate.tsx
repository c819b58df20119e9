export interface EstimateValue {
  value: number | null;
  lower: number | null;
  upper: number | null;
  reason: string | null;
}

const fixed = (value: number, percent: boolean) => (percent ? `${(value * 100).toFixed(1)}%` : value.toFixed(3));

/** A figure with its 95 % interval, or the API's reason why it cannot be given. */
export function Estimate({ estimate, percent = false }: { estimate: EstimateValue; percent?: boolean }) {
  if (estimate.value === null) return <span className="muted">n/a — {estimate.reason ?? 'not enough data'}</span>;
  return (
    <span>
      {fixed(estimate.value, percent)}
      {estimate.lower !== null && estimate.upper !== null && (
        <span className="muted">
          {' '}
          ({fixed(estimate.lower, percent)}–{fixed(estimate.upper, percent)})
        </span>
      )}
    </span>
  );
}
