// The house's import rules and the checks a reviewer would otherwise have to remember.
// Only one rule reads types (no-floating-promises): a single TypeScript program per tsconfig
// keeps `npm run lint` within a typecheck's time on two cores.
const fs = require('node:fs');
const path = require('node:path');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const TYPESCRIPT = ['**/*.ts', '**/*.tsx'];
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

/** A relative import that climbs out with `../` and then enters one of the named folders. */
function climbingInto(folders) {
  return `^(\\.\\./)+(${folders.join('|')})(/|$)`;
}

/** Both ways of reaching another workspace: its package name, or a relative path into its folder. */
function forbid({ packages, folders }, message) {
  return [
    { group: packages.flatMap((name) => [name, `${name}/*`]), message },
    { regex: climbingInto(folders), message },
  ];
}

const PACKAGES_IMPORT_NO_SERVICE = forbid(
  { packages: ['@bonescan/api', '@bonescan/inference', '@bonescan/web'], folders: ['services', 'apps'] },
  'packages/ are shared by the services and import none of them.',
);
const SERVICES_MEET_AT_THE_DATABASE = 'The API and the inference service meet at the database and the queue; they share code through packages/.';
const NO_PORTAL = forbid({ packages: ['@bonescan/web'], folders: ['apps'] }, 'Services never import the portal.');
const API_IMPORTS = [
  ...forbid({ packages: ['@bonescan/inference'], folders: ['inference', 'services/inference'] }, SERVICES_MEET_AT_THE_DATABASE),
  ...NO_PORTAL,
];
const INFERENCE_IMPORTS = [...forbid({ packages: ['@bonescan/api'], folders: ['api', 'services/api'] }, SERVICES_MEET_AT_THE_DATABASE), ...NO_PORTAL];

// The portal talks to the API over GraphQL; of the shared packages it uses only the clinical
// vocabulary and the typed config loader that describes every environment variable.
const PORTAL_ALLOWED_PACKAGES = ['@bonescan/clinical', '@bonescan/config'];
const PORTAL_OUTSIDE = [
  {
    group: ['@bonescan/*', ...PORTAL_ALLOWED_PACKAGES.flatMap((name) => [`!${name}`, `!${name}/*`])],
    message: `The portal knows the API only through GraphQL; of packages/ it may import ${PORTAL_ALLOWED_PACKAGES.join(' and ')}.`,
  },
  { regex: climbingInto(['packages', 'services', 'apps', 'test', 'bench']), message: 'The portal imports only its own code.' },
];

// graphql/ is infrastructure below the features: it may know the request's viewer and audit log
// (auth/, audit/) but no feature folder and not the composition root (app.ts, resolvers.ts).
const API_SOURCE = path.join(__dirname, 'services/api/src');
const GRAPHQL_MAY_IMPORT = new Set(['graphql', 'auth', 'audit']);
const aboveGraphql = fs
  .readdirSync(API_SOURCE, { withFileTypes: true })
  .filter((entry) => (entry.isDirectory() || /\.tsx?$/.test(entry.name)) && !/\.(test|d)\.tsx?$/.test(entry.name))
  .map((entry) => entry.name.replace(/\.tsx?$/, ''))
  .filter((name) => !GRAPHQL_MAY_IMPORT.has(name));
const GRAPHQL_BELOW_THE_FEATURES = {
  regex: climbingInto(aboveGraphql),
  message: 'graphql/ sits below the features: the composition root beside app.ts names the resolvers, not graphql/.',
};

function restrictImports(folder, patterns) {
  return { files: [`${folder}/**`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

module.exports = tseslint.config(
  { ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', 'models/**', '.data/**', 'test-results/**', '**/next-env.d.ts', '**/*.d.ts', '**/scratch*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  // Test files read loosely typed GraphQL responses; helpers they share (testing/ folders, test/, bench/) keep the rule.
  { files: TESTS, rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: TYPESCRIPT,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  // One-way dependencies (DESIGN §5). A later block replaces an earlier one's list for the same files,
  // so each block carries every restriction that applies to its files.
  restrictImports('packages', PACKAGES_IMPORT_NO_SERVICE),
  restrictImports('services/api', API_IMPORTS),
  restrictImports('services/api/src/graphql', [...API_IMPORTS, GRAPHQL_BELOW_THE_FEATURES]),
  restrictImports('services/inference', INFERENCE_IMPORTS),
  restrictImports('apps/web', PORTAL_OUTSIDE),
);
