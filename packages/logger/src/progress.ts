/**
 * A progress line on stderr with a bar, rate and ETA. On a terminal it redraws in place; in a log file it
 * writes a line every 10 seconds, so long jobs stay readable either way.
 */
export class ProgressLine {
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number, detail = ''): void {
    const now = Date.now();
    const finished = done >= this.total;
    if (!finished && now - this.lastDraw < (this.tty ? 200 : 10_000)) return;
    this.lastDraw = now;
    const fraction = this.total > 0 ? done / this.total : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const elapsed = (now - this.started) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : NaN;
    const line =
      `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ` +
      `${(100 * fraction).toFixed(0)}% elapsed ${formatSeconds(elapsed)} ETA ${Number.isFinite(eta) ? formatSeconds(eta) : '?'}` +
      (detail ? ` ${detail}` : '');
    process.stderr.write(this.tty ? `\r${line}\x1b[K${finished ? '\n' : ''}` : `${line}\n`);
  }
}

export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}
