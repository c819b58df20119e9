/**
 * Every command line answers --help with its usage and exit 0, before it starts anything. The commands are the
 * root package.json's scripts, run as npm runs them, and the command lines outside it that the README names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runScript } from './run-script';

const ROOT = path.resolve(__dirname, '../..');
const NODE_SCRIPT = /^node -r @swc-node\/register (\S+)((?: \S+)*)$/;

interface Command {
  /** As the user types it: the first line of --help must name it. */
  name: string;
  file: string;
  args: string[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
const npmScripts: Command[] = Object.entries(scripts).flatMap(([script, line]) => {
  const match = NODE_SCRIPT.exec(line);
  return match ? [{ name: `npm (run )?${escape(script)}`, file: match[1], args: match[2].split(' ').filter(Boolean) }] : [];
});
const direct = (file: string): Command => ({ name: escape(`node -r @swc-node/register ${file}`), file, args: [] });
const commands = [...npmScripts, direct('services/inference/src/cli/register-model.ts'), direct('scripts/config-table.ts')];

// No database at hand: --help must answer before anything would need one.
const runHelp = (command: Command) => runScript(command.file, [...command.args, '--help'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });

// Each command compiles its imports on start (TensorFlow.js, the API's resolvers): slow on a shared CPU.
jest.setTimeout(3 * 60_000);

describe('command lines', () => {
  it('are found: every node script of package.json is covered', () => {
    expect(npmScripts.map((c) => c.file).sort()).toEqual(
      Object.values(scripts)
        .filter((line) => line.startsWith('node '))
        .map((line) => line.split(' ')[3])
        .sort(),
    );
    expect(npmScripts.length).toBeGreaterThanOrEqual(9);
  });

  it.each(commands.map((command) => [command.file, command]))('%s answers --help with its usage and exit 0', async (_file, command) => {
    const result = await runHelp(command);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')[0]).toMatch(new RegExp(`^usage: ${command.name}( |$)`));
  });
});
