/** "2 h 05 min" style durations for clocks a reader glances at. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Overdue: not finally read yet and older than the department's turnaround target. */
export function isOverdue(arrivedAt: string, finalReadAt: string | null, targetMinutes: number, now: number): boolean {
  return finalReadAt === null && now - Date.parse(arrivedAt) > targetMinutes * 60_000;
}
