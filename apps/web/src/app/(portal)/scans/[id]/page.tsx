import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ApiBanner } from '../../../../components/api-banner';
import { ModelBadge } from '../../../../components/model-badge';
import { graphql } from '../../../../graphql/graphql';
import { ApiError } from '../../../../graphql/request';
import { queryAsViewer } from '../../../../graphql/server';
import { ReadingRoom } from './reading-room';

const ScanForReading = graphql(`
  query ScanForReading($id: ID!) {
    scan(id: $id) {
      id
      arrivedAt
      acquiredAt
      site
      status
      description
      accessionNumber
      read
      patient {
        name
        patientId
        birthDate
        sex
        scans {
          id
          arrivedAt
          status
          aiLabel
          read
        }
      }
      views {
        id
        view
        width
        height
      }
      prediction {
        id
        probability
        label
        threshold
        heatmapBlobKey
        hotspots {
          view
          x
          y
          intensity
          region
        }
        modelVersion {
          name
          version
          syntheticData
        }
      }
    }
  }
`);

export default async function ScanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let scan;
  try {
    ({ scan } = await queryAsViewer(ScanForReading, { id }));
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'BAD_USER_INPUT')) notFound();
    if (error instanceof ApiError) return <ApiBanner error={error} />;
    throw error;
  }
  const { patient, prediction } = scan;
  const earlier = patient.scans.filter((other) => other.id !== scan.id);
  return (
    <div className="reading">
      <header className="study-header" aria-label="Patient and study">
        <h1>
          {patient.name ?? 'Unnamed patient'} <span className="muted">{patient.patientId}</span>
        </h1>
        <dl>
          <dt>Born</dt>
          <dd>{patient.birthDate ?? '—'}</dd>
          <dt>Sex</dt>
          <dd>{patient.sex ?? '—'}</dd>
          <dt>Study</dt>
          <dd>{scan.description ?? 'Whole-body bone scan'}</dd>
          <dt>Acquired</dt>
          <dd>{formatDate(scan.acquiredAt ?? scan.arrivedAt)}</dd>
          <dt>Site</dt>
          <dd>{scan.site}</dd>
          {scan.accessionNumber && (
            <>
              <dt>Accession</dt>
              <dd>{scan.accessionNumber}</dd>
            </>
          )}
          <dt>Views</dt>
          <dd data-testid="view-count">{scan.views.length === 2 ? 'AP + PA' : `${scan.views.map((view) => view.view).join('')} only (single view)`}</dd>
        </dl>
        {prediction && (
          <p className="ai-result">
            AI: <strong className={prediction.label === 'MBD' ? 'ai-positive' : 'ai-negative'}>{prediction.label === 'MBD' ? 'MBD' : 'no MBD'}</strong>{' '}
            <span data-testid="ai-call">{callWithThreshold(prediction)}</span> <ModelBadge model={prediction.modelVersion} />
          </p>
        )}
        {earlier.length > 0 && (
          <nav aria-label="Earlier scans of this patient" className="earlier">
            Earlier scans:{' '}
            {earlier.map((other) => (
              <Link key={other.id} href={`/scans/${other.id}`}>
                {formatDate(other.arrivedAt)}
                {other.read ? ' (read)' : ''}
              </Link>
            ))}
          </nav>
        )}
      </header>
      <ReadingRoom
        scanId={scan.id}
        views={scan.views}
        predictionId={prediction?.id ?? null}
        hasHeatMap={Boolean(prediction?.heatmapBlobKey)}
        hotspots={prediction?.hotspots ?? []}
        showAi={prediction !== null}
      />
    </div>
  );
}

/** The call as the model version made it: its probability against its own operating threshold, not 50 %. */
function callWithThreshold({ probability, threshold }: { probability: number; threshold: number }): string {
  const flagged = probability >= threshold;
  return `P(MBD) ${probability.toFixed(2)} ${flagged ? '≥' : '<'} threshold ${threshold.toFixed(2)} → ${flagged ? 'flagged' : 'not flagged'}`;
}

const formatDate = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
