/**
 * The model versions a worker holds in memory. The active version is loaded and warmed up once at start;
 * a version a job names explicitly (a shadow model, a re-run) is loaded the first time it is asked for and kept.
 */
import { MODEL_INPUT } from '@bonescan/clinical';
import { findActiveModelVersion, findModelVersion, type ModelVersionRef } from '@bonescan/db';
import type { Logger } from '@bonescan/logger';
import type { DataSource } from 'typeorm';
import { loadModelVersion, ModelLoadError, type LoadedModel } from '../model';
import { registerModelFolder } from './model-registry';

export interface ResidentModel {
  version: ModelVersionRef;
  model: LoadedModel;
}

/** One pass through predict and explain, so the first real scan does not pay for kernel compilation. */
async function warmUp(model: LoadedModel): Promise<void> {
  const input = new Float32Array(MODEL_INPUT.width * MODEL_INPUT.height * MODEL_INPUT.channels).fill(0.5);
  await model.predict([input]);
  await model.explain(input, model.card.threshold);
}

export class ModelShelf {
  private readonly loaded = new Map<string, Promise<ResidentModel>>();
  /** The version loaded at start: used for jobs without a version while none is ACTIVE. */
  private startVersion: ResidentModel | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly backend?: string,
  ) {}

  /**
   * Loads the ACTIVE version (or registers and loads `fallbackDir`, MODEL_DIR, when none is active) and warms it
   * up. Throws ModelLoadError with the reason when there is nothing loadable.
   */
  async loadActive(fallbackDir: string | undefined): Promise<ResidentModel> {
    const active = await findActiveModelVersion(this.dataSource);
    if (active) {
      this.startVersion = await this.get(active);
      return this.startVersion;
    }
    if (!fallbackDir) {
      throw new ModelLoadError(
        'no model version is ACTIVE in the database and MODEL_DIR is not set: register one (services/inference/src/cli/register-model.ts <folder>) or set MODEL_DIR',
      );
    }
    // Loaded before it is registered: a folder that cannot be loaded never becomes a model version.
    const model = await this.load(fallbackDir);
    const { version } = await registerModelFolder(this.dataSource, fallbackDir, { activateIfNoneActive: true });
    this.loaded.set(version.id, Promise.resolve({ version, model }));
    this.startVersion = { version, model };
    return this.startVersion;
  }

  /** The version a job should run: the one it names, else the ACTIVE one, else the one loaded at start. */
  async forJob(modelVersionId: string | undefined): Promise<ResidentModel> {
    const version = modelVersionId ? await findModelVersion(this.dataSource, modelVersionId) : await findActiveModelVersion(this.dataSource);
    if (version) return this.get(version);
    if (modelVersionId) throw new ModelLoadError(`model version ${modelVersionId} is not registered`);
    if (!this.startVersion) throw new ModelLoadError('no model loaded');
    return this.startVersion;
  }

  private get(version: ModelVersionRef): Promise<ResidentModel> {
    let entry = this.loaded.get(version.id);
    if (!entry) {
      entry = this.load(version.path).then((model) => ({ version, model }));
      this.loaded.set(version.id, entry);
      entry.catch(() => this.loaded.delete(version.id));
    }
    return entry.then((resident) => ({ ...resident, version }));
  }

  private async load(dir: string): Promise<LoadedModel> {
    const started = Date.now();
    const model = await loadModelVersion(dir, this.backend);
    await warmUp(model);
    this.logger.info({ model: `${model.card.name} ${model.card.version}`, backend: model.backend, ms: Date.now() - started }, 'model loaded and warmed up');
    return model;
  }

  dispose(): void {
    for (const entry of this.loaded.values())
      entry.then(
        (resident) => resident.model.dispose(),
        () => undefined,
      );
    this.loaded.clear();
  }
}
