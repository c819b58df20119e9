/** The ROC curve as a small standalone SVG, with the chance diagonal and the chosen operating point. */
import type { RocCurve } from '@bonescan/stats';

export function rocSvg(curve: RocCurve, title: string, operatingPoint?: { fpr: number; tpr: number; label: string }): string {
  const size = 320;
  const pad = 40;
  const plot = size - 2 * pad;
  const px = (fpr: number) => (pad + fpr * plot).toFixed(1);
  const py = (tpr: number) => (pad + (1 - tpr) * plot).toFixed(1);
  const points = curve.fpr.map((f, i) => `${px(f)},${py(curve.tpr[i])}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) => `<text x="${px(t)}" y="${size - pad + 16}" text-anchor="middle">${t}</text><text x="${pad - 6}" y="${py(t)}" text-anchor="end" dy="4">${t}</text>`,
    )
    .join('');
  const point = operatingPoint
    ? `<circle cx="${px(operatingPoint.fpr)}" cy="${py(operatingPoint.tpr)}" r="4" fill="#c0392b"/><text x="${px(operatingPoint.fpr)}" y="${py(operatingPoint.tpr)}" dx="8" dy="14" fill="#c0392b">${operatingPoint.label}</text>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="${size / 2}" y="20" text-anchor="middle" font-size="13">${title}</text>
<rect x="${pad}" y="${pad}" width="${plot}" height="${plot}" fill="none" stroke="#999"/>
<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#bbb" stroke-dasharray="4 4"/>
<polyline points="${points}" fill="none" stroke="#1f4e9c" stroke-width="2"/>
${point}${ticks}
<text x="${size / 2}" y="${size - 6}" text-anchor="middle">1 − specificity (FPR)</text>
<text x="12" y="${size / 2}" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">sensitivity (TPR)</text>
</svg>
`;
}
