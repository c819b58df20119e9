import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Every workspace declares, in its own package.json, the `@bonescan/*` workspaces its code imports — by
 * package name, or by a relative path that reaches into another workspace's folder — so `npm ls` and
 * a workspace installed on its own tell the truth. The oracle is the package.json files on disk.
 */
const ROOT = path.resolve(__dirname, '../..');
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
const NOT_SOURCE = new Set(['node_modules', '.next', 'dist']);

interface Workspace {
  name: string;
  dir: string;
  declared: Set<string>;
}

function workspaces(): Workspace[] {
  const globs: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).workspaces;
  const dirs = globs.flatMap((glob) =>
    glob.endsWith('/*') ? fs.readdirSync(path.join(ROOT, glob.slice(0, -2))).map((name) => path.join(ROOT, glob.slice(0, -2), name)) : [path.join(ROOT, glob)],
  );
  return dirs
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies }));
      return { name: manifest.name, dir, declared };
    });
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (NOT_SOURCE.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The workspace a module specifier names, whether `@bonescan/db/testing` or `../../services/api/src/app`. */
function importedWorkspace(specifier: string, fromFile: string, all: Workspace[]): Workspace | undefined {
  if (specifier.startsWith('@bonescan/')) {
    const name = specifier.split('/').slice(0, 2).join('/');
    return all.find((workspace) => workspace.name === name);
  }
  if (!specifier.startsWith('.')) return undefined;
  const target = path.resolve(path.dirname(fromFile), specifier);
  return all.find((workspace) => target === workspace.dir || target.startsWith(workspace.dir + path.sep));
}

/** `import`, `export … from`, `import()` and `require()` alike, as the TypeScript compiler reads them. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);
}

function undeclaredImports(): string[] {
  const all = workspaces();
  const missing = new Set<string>();
  for (const workspace of all) {
    for (const file of sourceFiles(workspace.dir)) {
      for (const specifier of specifiers(file)) {
        const imported = importedWorkspace(specifier, file, all);
        if (imported && imported !== workspace && !workspace.declared.has(imported.name))
          missing.add(`${workspace.name} imports ${imported.name} without declaring it`);
      }
    }
  }
  return [...missing].sort();
}

describe('workspace package.json files', () => {
  it('declare every @bonescan workspace their code imports', () => {
    expect(undeclaredImports()).toEqual([]);
  });
});
