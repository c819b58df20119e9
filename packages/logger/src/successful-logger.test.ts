import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACKAGE_DIR = path.resolve(__dirname, '..');
/** One log line with a patient's name and birth date in it, as a careless caller might write it. */
const LOG_ONE_LINE = `require('./src').createLogger('intake', 'info').info({ scanId: 'scan-1', patientName: 'DOE^JANE', study: { birthDate: '19500101' } }, 'scan stored')`;
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

describe('logger', () => {
  it('writes one JSON object per line on stderr when stderr is not a terminal, with patient data censored', async () => {
    const { stdout, stderr } = await run(process.execPath, ['-r', '@swc-node/register', '-e', LOG_ONE_LINE], { cwd: PACKAGE_DIR });
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 30,
      name: 'intake',
      msg: 'scan stored',
      scanId: 'scan-1',
      patientName: '[redacted]',
      study: { birthDate: '[redacted]' },
    });
  });

  it('writes readable lines on a terminal, with patient data censored', async () => {
    // `script` gives the command a pseudo-terminal, as a person running npm start has.
    const command = `${process.execPath} -r @swc-node/register -e "${LOG_ONE_LINE}"`;
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], { cwd: PACKAGE_DIR });
    const text = stdout.replace(ANSI, '').replace(/\r/g, '');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] INFO \(intake\): scan stored$/m);
    expect(text).toMatch(/^ +scanId: "scan-1"$/m);
    expect(text).toMatch(/^ +patientName: "\[redacted\]"$/m);
    expect(text).not.toContain('DOE');
    expect(text).not.toContain('19500101');
    expect(text).not.toMatch(/^\{/m);
  });
});
