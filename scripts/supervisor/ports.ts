/**
 * The ports `npm start` needs, checked before anything starts: a port still held (typically by a part of an
 * earlier run that was not shut down) stops start-up with the port, the process holding it and what to do —
 * never a "running" banner over a part that could not listen.
 */
import fs from 'node:fs';
import net from 'node:net';
import { commandOf } from '@bonescan/db';

export interface PlatformPort {
  port: number;
  /** What listens there, in words: "the API", "inference worker 1". */
  what: string;
  /** The setting that moves it elsewhere. */
  setting: string;
}

export class PortTakenError extends Error {
  override name = 'PortTakenError';
}

/** Whether something listens on the port on any address (a test bind on all of them fails). */
function isTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
}

/** The process listening on a TCP port, from /proc (Linux); null when it cannot be told. */
export function listenerOf(port: number): number | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local address "0100007F:0FA0", state 0A = LISTEN, inode in the tenth column
      if (fields.length > 9 && fields[3] === '0A' && parseInt(fields[1].split(':')[1], 16) === port) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (inodes.has(target.replace(/^socket:\[(\d+)\]$/, '$1'))) return Number(pid);
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return null;
}

/** Refuses to go on when any port is taken, naming each one, who holds it and what to do. */
export async function refuseTakenPorts(ports: PlatformPort[]): Promise<void> {
  const problems: string[] = [];
  for (const { port, what, setting } of ports) {
    if (!(await isTaken(port))) continue;
    const holder = listenerOf(port);
    const who = holder === null ? 'another process' : `process ${holder} (${commandOf(holder)})`;
    const remedy = holder === null ? `find it with \`ss -ltnp 'sport = :${port}'\` and stop it` : `stop it with \`kill ${holder}\``;
    problems.push(`  port ${port} for ${what} is taken by ${who}: ${remedy}, or set ${setting} to another port`);
  }
  if (problems.length > 0) {
    throw new PortTakenError(
      ['Not starting: ports the platform needs are in use — often by parts of an earlier `npm start` that did not shut down.', ...problems].join('\n'),
    );
  }
}
