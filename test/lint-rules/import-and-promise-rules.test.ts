import path from 'node:path';
import { ESLint } from 'eslint';

/**
 * The house rules hold by machine: the repository's own ESLint configuration, run through ESLint's API on
 * snippets placed (virtually — nothing is written to the tree) at paths inside the workspaces.
 */
const ROOT = path.resolve(__dirname, '../..');

// Snippets are not files on disk, so no tsconfig lists them; they join a program built from the root tsconfig
// instead. Every rule, and every other option, is the repository's own.
const PROBES = [
  'services/api/src/scans/probe.ts',
  'services/api/src/graphql/probe.ts',
  'services/inference/src/worker/probe.ts',
  'packages/db/src/probe.ts',
  'apps/web/src/probe.ts',
];
const eslint = new ESLint({
  cwd: ROOT,
  // The configuration is handed over as loaded: ESLint's own loader uses a dynamic import that jest's sandbox refuses.
  overrideConfigFile: true,
  baseConfig: require(path.join(ROOT, 'eslint.config.js')),
  overrideConfig: { files: PROBES, languageOptions: { parserOptions: { projectService: { allowDefaultProject: PROBES, defaultProject: 'tsconfig.json' } } } },
});

async function ruleIds(filePath: string, code: string): Promise<Array<string | null>> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return result.messages.map((message) => message.ruleId);
}

// The first lint builds the TypeScript program for the probes (seconds on an idle machine, a minute on a busy one).
beforeAll(() => ruleIds(PROBES[0], 'export {};\n'), 300_000);

describe('import rules', () => {
  it('refuse an import of the inference service into the API, by package name or by path', async () => {
    expect(await ruleIds(PROBES[0], `import { runWorker } from '@bonescan/inference';\nexport const start = runWorker;\n`)).toEqual(['no-restricted-imports']);
    expect(await ruleIds(PROBES[0], `import { runWorker } from '../../../inference/src/worker/run-worker';\nexport const start = runWorker;\n`)).toEqual([
      'no-restricted-imports',
    ]);
    expect(await ruleIds(PROBES[0], `import { Scan } from '@bonescan/db';\nexport const entity = Scan;\n`)).toEqual([]);
  });

  it('refuse an import of the API into the inference service', async () => {
    expect(await ruleIds(PROBES[2], `import { buildApp } from '@bonescan/api';\nexport const build = buildApp;\n`)).toEqual(['no-restricted-imports']);
    expect(await ruleIds(PROBES[2], `import { buildApp } from '../../../api/src/app';\nexport const build = buildApp;\n`)).toEqual(['no-restricted-imports']);
  });

  it('refuse a service import in a shared package', async () => {
    expect(await ruleIds(PROBES[3], `import { buildApp } from '../../../services/api/src/app';\nexport const build = buildApp;\n`)).toEqual([
      'no-restricted-imports',
    ]);
    expect(await ruleIds(PROBES[3], `import type { App } from '@bonescan/api';\nexport type Built = App;\n`)).toEqual(['no-restricted-imports']);
  });

  it('keep graphql/ below the features', async () => {
    expect(await ruleIds(PROBES[1], `import { ScansResolver } from '../scans/scans.resolver';\nexport const resolvers = [ScansResolver];\n`)).toEqual([
      'no-restricted-imports',
    ]);
    expect(
      await ruleIds(
        PROBES[1],
        `import type { Viewer } from '../auth/viewer';\nimport { badInput } from './errors';\nexport type Seen = Viewer;\nexport const refuse = badInput;\n`,
      ),
    ).toEqual([]);
  });

  it('let the portal import only the clinical vocabulary and the config loader of packages/', async () => {
    expect(await ruleIds(PROBES[4], `import { Scan } from '@bonescan/db';\nexport const entity = Scan;\n`)).toEqual(['no-restricted-imports']);
    expect(await ruleIds(PROBES[4], `import { VIEWS } from '@bonescan/clinical';\nexport const views = VIEWS;\n`)).toEqual([]);
  });
});

describe('promise rule', () => {
  const save = `async function save(): Promise<void> {}\n`;

  it('refuses a promise nobody awaits or handles', async () => {
    expect(await ruleIds(PROBES[0], `${save}export function onReview(): void {\n  save();\n}\n`)).toEqual(['@typescript-eslint/no-floating-promises']);
  });

  it('accepts it awaited, or explicitly let go', async () => {
    expect(await ruleIds(PROBES[0], `${save}export async function onReview(): Promise<void> {\n  await save();\n}\n`)).toEqual([]);
    expect(await ruleIds(PROBES[0], `${save}export function onReview(): void {\n  void save();\n}\n`)).toEqual([]);
  });
});
