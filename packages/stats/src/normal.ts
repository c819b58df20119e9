import { StatisticsError } from './errors';

/**
 * Standard normal CDF, Φ(x). Marsaglia (2004) "Evaluating the Normal Distribution",
 * J Stat Softw 11(4): Taylor series, absolute error below 1e-15 — enough for p-values.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new StatisticsError('normalCdf of NaN');
  if (x < -37) return 0;
  if (x > 37) return 1;
  let sum = x;
  let previous = 0;
  let term = x;
  const square = x * x;
  for (let i = 1; sum !== previous;) {
    previous = sum;
    i += 2;
    term *= square / i;
    sum += term;
  }
  return 0.5 + sum * Math.exp(-0.5 * square - 0.9189385332046727); // ln(sqrt(2π));
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedP(z: number): number {
  return 2 * normalCdf(-Math.abs(z));
}

// Acklam's rational approximation coefficients (relative error 1.15e-9 before refinement).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const LOW = 0.02425;

function acklam(p: number): number {
  if (p < LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - LOW) return -acklam(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * Inverse standard normal CDF. Acklam's approximation refined by one Halley step
 * against normalCdf, so z(0.975) = 1.959963984540054 to double precision.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new StatisticsError(`normalQuantile needs p in (0, 1), got ${p}`);
  const x = acklam(p);
  const error = normalCdf(x) - p;
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** The z multiplier of a two-sided (1 − alpha) confidence interval. */
export function zForAlpha(alpha: number): number {
  return normalQuantile(1 - alpha / 2);
}
