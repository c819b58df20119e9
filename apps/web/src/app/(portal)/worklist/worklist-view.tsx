'use client';

import { SCAN_STATUSES } from '@bonescan/clinical';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiBanner } from '../../../components/api-banner';
import { ModelBadge, type ModelIdentity } from '../../../components/model-badge';
import { formatDuration, isOverdue } from '../../../components/turnaround';
import { callApi } from '../../../graphql/browser';
import type { VariablesOf } from '../../../graphql/graphql';
import { ApiError } from '../../../graphql/request';
import { WorklistQuery, type WorklistRow } from './worklist-query';

interface Filters {
  status: string;
  site: string;
  from: string;
  to: string;
  unreadOnly: boolean;
}

const NO_FILTERS: Filters = { status: '', site: '', from: '', to: '', unreadOnly: false };

function toFilter(filters: Filters): VariablesOf<typeof WorklistQuery>['filter'] {
  return {
    status: filters.status ? [filters.status as (typeof SCAN_STATUSES)[number]] : undefined,
    site: filters.site.trim() || undefined,
    arrivedFrom: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
    arrivedTo: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : undefined,
    read: filters.unreadOnly ? false : undefined,
  };
}

/** The reading queue: AI-positive first, refreshed while open, driven by j / k / Enter. */
export function WorklistView({ targetMinutes, pollSeconds }: { targetMinutes: number; pollSeconds: number }) {
  const router = useRouter();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<WorklistRow[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const tableRef = useRef<HTMLTableSectionElement>(null);

  const load = useCallback(async () => {
    try {
      const { worklist } = await callApi(WorklistQuery, { filter: toFilter(filters), sort: 'AI_PRIORITY' });
      setRows(worklist.edges.map((edge) => edge.node));
      setError(null);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError('INTERNAL', String(caught)));
    }
    setNow(Date.now());
  }, [filters]);

  useEffect(() => {
    void load();
    // Polling is the fallback for live updates: new scans and predictions appear within pollSeconds.
    const timer = window.setInterval(() => void load(), pollSeconds * 1000);
    return () => window.clearInterval(timer);
  }, [load, pollSeconds]);

  useEffect(() => {
    // Live updates: the portal relays the API's scanUpdated subscription; when it cannot, the page
    // refreshes once (showing why, if the API is down) and polling carries on alone.
    const events = new EventSource('/api/scan-events');
    events.addEventListener('scan', () => void load());
    events.addEventListener('unavailable', () => {
      events.close();
      void load();
    });
    return () => events.close();
  }, [load]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!rows?.length || isTyping(event.target)) return;
      if (event.key === 'j') setSelected((index) => Math.min(rows.length - 1, index + 1));
      else if (event.key === 'k') setSelected((index) => Math.max(0, index - 1));
      else if (event.key === 'Enter') router.push(`/scans/${rows[selected].id}`);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, selected, router]);

  useEffect(() => {
    tableRef.current?.querySelector<HTMLElement>(`[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const models = useMemo(() => distinctModels(rows ?? []), [rows]);

  return (
    <section aria-labelledby="worklist-title">
      <div className="toolbar">
        <h1 id="worklist-title">Worklist</h1>
        {models.map((model) => (
          <ModelBadge key={`${model.name}-${model.version}`} model={model} />
        ))}
        <span className="muted">j / k to move, Enter to open · target {formatDuration(targetMinutes * 60_000)}</span>
      </div>
      <WorklistFilters filters={filters} onChange={setFilters} />
      {error && <ApiBanner error={error} />}
      {rows === null && !error && <p aria-live="polite">Loading worklist…</p>}
      {rows?.length === 0 && <p className="empty">No scans match these filters.</p>}
      {rows && rows.length > 0 && (
        <table className="worklist" aria-label="Scans to read" aria-rowcount={rows.length}>
          <thead>
            <tr>
              <th scope="col">AI</th>
              <th scope="col">Patient</th>
              <th scope="col">Site</th>
              <th scope="col">Views</th>
              <th scope="col">Status</th>
              <th scope="col">Waiting</th>
              <th scope="col">Read</th>
            </tr>
          </thead>
          <tbody ref={tableRef}>
            {rows.map((row, index) => (
              <WorklistLine
                key={row.id}
                row={row}
                index={index}
                selected={index === selected}
                overdue={isOverdue(row.arrivedAt, row.finalReadAt, targetMinutes, now)}
                now={now}
                onOpen={() => router.push(`/scans/${row.id}`)}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function WorklistLine({
  row,
  index,
  selected,
  overdue,
  now,
  onOpen,
}: {
  row: WorklistRow;
  index: number;
  selected: boolean;
  overdue: boolean;
  now: number;
  onOpen: () => void;
}) {
  const positive = row.aiLabel === 'MBD';
  return (
    <tr data-index={index} data-scan-id={row.id} data-read={row.read} aria-selected={selected} className={selected ? 'selected' : undefined} onClick={onOpen}>
      <td>
        {row.aiProbability === null ? (
          <span className="muted">pending</span>
        ) : (
          <span className={positive ? 'ai ai-positive' : 'ai ai-negative'} data-ai-label={row.aiLabel}>
            {positive ? 'MBD' : 'no MBD'} {Math.round(row.aiProbability * 100)}%
          </span>
        )}
      </td>
      <td>
        <a href={`/scans/${row.id}`} onClick={(event) => event.preventDefault()}>
          {row.patient.name ?? 'Unnamed'}
        </a>{' '}
        <span className="muted">{row.patient.patientId}</span>
      </td>
      <td>{row.site}</td>
      <td>{row.views.length === 2 ? 'AP + PA' : `${row.views.map((view) => view.view).join('')} only`}</td>
      <td>{row.status.toLowerCase()}</td>
      <td className={overdue ? 'overdue' : undefined}>
        {formatDuration(now - Date.parse(row.arrivedAt))}
        {overdue && <strong className="badge badge-danger"> overdue</strong>}
      </td>
      <td>{row.read ? <span className="badge badge-ok">read</span> : <span className="muted">unread</span>}</td>
    </tr>
  );
}

function WorklistFilters({ filters, onChange }: { filters: Filters; onChange: (filters: Filters) => void }) {
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => onChange({ ...filters, [key]: value });
  return (
    <form className="filters" aria-label="Filter the worklist" onSubmit={(event) => event.preventDefault()}>
      <label>
        Status
        <select value={filters.status} onChange={(event) => set('status', event.target.value)}>
          <option value="">any</option>
          {SCAN_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label>
        Site
        <input value={filters.site} onChange={(event) => set('site', event.target.value)} placeholder="all sites" />
      </label>
      <label>
        Arrived from
        <input type="date" value={filters.from} onChange={(event) => set('from', event.target.value)} />
      </label>
      <label>
        to
        <input type="date" value={filters.to} onChange={(event) => set('to', event.target.value)} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={filters.unreadOnly} onChange={(event) => set('unreadOnly', event.target.checked)} />
        Unread only
      </label>
    </form>
  );
}

function distinctModels(rows: WorklistRow[]): ModelIdentity[] {
  const byId = new Map<string, ModelIdentity>();
  for (const row of rows) if (row.prediction) byId.set(row.prediction.modelVersion.id, row.prediction.modelVersion);
  return [...byId.values()];
}

const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
