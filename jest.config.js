// One jest run across the workspaces. Every project compiles TypeScript with swc,
// keeping decorator metadata: type-graphql and TypeORM read the design:type of fields.
const fs = require('node:fs');
const path = require('node:path');

const transform = {
  '^.+\\.tsx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const workspaceDirs = ['packages', 'services']
  .flatMap((group) => fs.readdirSync(path.join(__dirname, group)).map((name) => `${group}/${name}`))
  .concat(['test']);

const projects = workspaceDirs
  .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'package.json')))
  .map((dir) => ({
    displayName: path.basename(dir),
    rootDir: path.join(__dirname, dir),
    testEnvironment: 'node',
    transform,
    testMatch: ['<rootDir>/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  }));

module.exports = {
  projects,
  transform,
  testTimeout: 120_000,
  // One PostgreSQL for the whole run (embedded, or DATABASE_URL); each test file gets its own database.
  globalSetup: path.join(__dirname, 'packages/db/src/testing/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'packages/db/src/testing/global-teardown.ts'),
};
