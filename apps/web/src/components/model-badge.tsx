import { RESEARCH_USE_ONLY } from '@bonescan/clinical';

export interface ModelIdentity {
  name: string;
  version: string;
  syntheticData: boolean;
}

/** Which model made the call, and the research-only warning whenever it learned from phantoms. */
export function ModelBadge({ model }: { model: ModelIdentity }) {
  return (
    <span className="model-badge">
      AI model {model.name} {model.version}
      {model.syntheticData && (
        <strong className="badge badge-warning" role="note">
          {RESEARCH_USE_ONLY}
        </strong>
      )}
    </span>
  );
}
