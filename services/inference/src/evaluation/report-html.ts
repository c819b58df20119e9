/** The evaluation report as one self-contained HTML page (ROC inline, overlays linked). */
import { RESEARCH_USE_ONLY } from '@bonescan/clinical';
import type { EvaluationReport } from './evaluate-model';

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const fixed = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));

export function reportHtml(report: EvaluationReport, rocSvgText: string): string {
  const m = report.atModelThreshold.confusionMatrix;
  const r = report.atModelThreshold.rates;
  const bins = report.calibration.bins
    .map(
      (b) =>
        `<tr><td>${b.lower.toFixed(1)}–${b.upper.toFixed(1)}</td><td>${b.count}</td><td>${fixed(b.meanPredicted)}</td><td>${fixed(b.observedRate)}</td></tr>`,
    )
    .join('');
  const overlays = report.cases
    .filter((c) => c.call === 1)
    .sort((a, b) => b.probability - a.probability)
    .map(
      (c) =>
        `<figure><img src="overlays/${escape(c.caseId)}.png" width="256" alt="" onerror="this.parentNode.remove()"><figcaption>${escape(c.caseId)} · P(MBD) ${c.probability.toFixed(3)} · ${c.mbd ? 'MBD' : 'no MBD'}${c.pointingHit === undefined ? '' : c.pointingHit ? ' · hit' : ' · miss'}</figcaption></figure>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation — ${escape(report.model.name)}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}figure{display:inline-block;margin:6px}figcaption{font-size:12px}.warn{background:#fff3cd;padding:8px}</style>
</head><body>
<h1>Evaluation — ${escape(report.model.name)} ${escape(report.model.version)}</h1>
<p class="warn">${RESEARCH_USE_ONLY}.</p>
<p>${report.dataset.scans} scans (${report.dataset.positives} MBD, ${report.dataset.negatives} no MBD) from ${escape(report.dataset.folders.join(', '))}; centres ${escape(JSON.stringify(report.dataset.byCentre))}. Backend ${report.backend}; ${report.msPerScan.predict.toFixed(0)} ms per scan to predict${report.msPerScan.gradCam === null ? '' : `, ${report.msPerScan.gradCam.toFixed(0)} ms per Grad-CAM`}.</p>
<h2>Discrimination</h2>
<p>AUC <b>${report.auc.toFixed(3)}</b> (95 % bootstrap CI ${report.aucCi.lower.toFixed(3)}–${report.aucCi.upper.toFixed(3)}, ${report.aucCi.resamples} resamples)</p>
${rocSvgText}
<h2>At the model's threshold (${report.model.threshold.toFixed(4)})</h2>
<table><tr><th></th><th>MBD</th><th>no MBD</th></tr><tr><th>called MBD</th><td>${m.tp}</td><td>${m.fp}</td></tr><tr><th>called no MBD</th><td>${m.fn}</td><td>${m.tn}</td></tr></table>
<table><tr><th>TPR (sensitivity)</th><th>TNR (specificity)</th><th>FPR</th><th>FNR</th><th>F1</th><th>accuracy</th></tr>
<tr><td>${fixed(r.sensitivity)}</td><td>${fixed(r.specificity)}</td><td>${fixed(r.fpr)}</td><td>${fixed(r.fnr)}</td><td>${fixed(r.f1)}</td><td>${fixed(r.accuracy)}</td></tr></table>
<h2>Other thresholds</h2>
<table><tr><th></th><th>threshold</th><th>sensitivity</th><th>specificity</th></tr>
<tr><th>Youden</th><td>${report.youden.threshold.toFixed(4)}</td><td>${report.youden.sensitivity.toFixed(3)}</td><td>${report.youden.specificity.toFixed(3)}</td></tr>
<tr><th>specificity ≥ ${report.atTargetSpecificity.target}</th><td>${report.atTargetSpecificity.threshold.toFixed(4)}</td><td>${report.atTargetSpecificity.sensitivity.toFixed(3)}</td><td>${report.atTargetSpecificity.specificity.toFixed(3)}</td></tr></table>
<h2>Calibration</h2>
<p>Expected calibration error ${report.calibration.ece.toFixed(3)}</p>
<table><tr><th>P(MBD) bin</th><th>scans</th><th>mean predicted</th><th>observed MBD rate</th></tr>${bins}</table>
<h2>Localisation</h2>
<p>Pointing game on true positives with lesion masks: ${report.pointingGame.hits}/${report.pointingGame.truePositivesWithMasks}${report.pointingGame.rate === null ? '' : ` = <b>${report.pointingGame.rate.toFixed(3)}</b>`} (hit = heat-map maximum within ${report.pointingGame.tolerancePx} px of a lesion, pre-processed 256×512 view)</p>
<h2>Grad-CAM of positive calls</h2>
${overlays}
</body></html>
`;
}
