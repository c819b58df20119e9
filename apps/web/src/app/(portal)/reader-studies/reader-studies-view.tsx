'use client';

import { READER_STUDY_MODES, type ReaderStudyMode } from '@bonescan/clinical';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ApiBanner } from '../../../components/api-banner';
import { mutate, useQuery } from '../../../components/use-api';
import { graphql } from '../../../graphql/graphql';
import type { ApiError } from '../../../graphql/request';

const ReaderStudies = graphql(`
  query ReaderStudies {
    readerStudies {
      id
      name
      mode
      status
      caseCount
      createdAt
    }
  }
`);
const SampleBalancedCases = graphql(`
  query SampleBalancedCases($input: BalancedCaseSampleInput!) {
    sampleBalancedCases(input: $input) {
      scanIds
      withMbd
      withoutMbd
    }
  }
`);
const CreateReaderStudy = graphql(`
  mutation CreateReaderStudy($input: CreateReaderStudyInput!) {
    createReaderStudy(input: $input) {
      id
    }
  }
`);
const CloseReaderStudy = graphql(`
  mutation CloseReaderStudy($id: ID!) {
    closeReaderStudy(id: $id) {
      id
      status
    }
  }
`);

const MODE_LABELS: Record<ReaderStudyMode, string> = { BLINDED: 'Blinded (AI hidden)', AIDED: 'Aided (AI shown)' };

/** Studies to read; leads also create them from a balanced sample, close them and see results. */
export function ReaderStudiesView({ manages }: { manages: boolean }) {
  const { data, error, reload } = useQuery(ReaderStudies, {});
  const [actionError, setActionError] = useState<ApiError | null>(null);
  return (
    <section aria-labelledby="studies-title">
      <h1 id="studies-title">Reader studies</h1>
      {error && <ApiBanner error={error} />}
      {actionError && <ApiBanner error={actionError} />}
      {data?.readerStudies.length === 0 && <p className="empty">No reader studies {manages ? 'yet: create one below.' : 'are open for reading.'}</p>}
      {data && data.readerStudies.length > 0 && (
        <table className="data-table" aria-label="Reader studies">
          <thead>
            <tr>
              <th scope="col">Study</th>
              <th scope="col">Mode</th>
              <th scope="col">Cases</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="muted">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.readerStudies.map((study) => (
              <tr key={study.id}>
                <td>{study.name}</td>
                <td>{MODE_LABELS[study.mode]}</td>
                <td>{study.caseCount}</td>
                <td>{study.status.toLowerCase()}</td>
                <td className="actions">
                  {study.status === 'OPEN' && <Link href={`/reader-studies/${study.id}`}>Read cases</Link>}
                  {manages && study.status === 'CLOSED' && <Link href={`/reader-studies/${study.id}/results`}>Results</Link>}
                  {manages && study.status === 'OPEN' && (
                    <button
                      type="button"
                      onClick={async () => {
                        const { error: failed } = await mutate(CloseReaderStudy, { id: study.id });
                        setActionError(failed ?? null);
                        await reload();
                      }}
                    >
                      Close
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manages && <NewStudyForm onCreated={reload} onError={setActionError} />}
    </section>
  );
}

function NewStudyForm({ onCreated, onError }: { onCreated: () => Promise<void>; onError: (error: ApiError | null) => void }) {
  const [sample, setSample] = useState<{ scanIds: string[]; withMbd: number; withoutMbd: number } | null>(null);

  const drawSample = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    const { result, error } = await mutate(SampleBalancedCases, {
      input: { count: Number(fields.get('count')), site: String(fields.get('site') ?? '').trim() || null, seed: Number(fields.get('seed')) },
    });
    onError(error ?? null);
    setSample(result?.sampleBalancedCases ?? null);
  };

  const create = async (form: HTMLFormElement) => {
    if (!sample) return;
    const fields = new FormData(form);
    const { error } = await mutate(CreateReaderStudy, {
      input: { name: String(fields.get('name')), mode: String(fields.get('mode')) as ReaderStudyMode, scanIds: sample.scanIds },
    });
    onError(error ?? null);
    if (!error) {
      setSample(null);
      form.reset();
      await onCreated();
    }
  };

  return (
    <form className="card inline-form new-study" onSubmit={drawSample} aria-labelledby="new-study-title">
      <h2 id="new-study-title">New reader study</h2>
      <label>
        Name <input name="name" required />
      </label>
      <fieldset>
        <legend>Mode</legend>
        {READER_STUDY_MODES.map((mode) => (
          <label key={mode} className="checkbox">
            <input type="radio" name="mode" value={mode} defaultChecked={mode === 'BLINDED'} /> {MODE_LABELS[mode]}
          </label>
        ))}
      </fieldset>
      <label>
        Cases (half with MBD) <input name="count" type="number" min={2} max={2000} defaultValue={134} />
      </label>
      <label>
        Site (optional) <input name="site" />
      </label>
      <label>
        Sample seed <input name="seed" type="number" defaultValue={1} />
      </label>
      <button type="submit">Sample balanced cases</button>
      {sample && (
        <p role="status">
          Sampled {sample.scanIds.length} cases: {sample.withMbd} with MBD, {sample.withoutMbd} without.{' '}
          <button type="button" className="primary" onClick={(event) => create(event.currentTarget.form!)}>
            Create study
          </button>
        </p>
      )}
    </form>
  );
}
