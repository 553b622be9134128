import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One TCP socket in LISTEN state: its local address and port. */
export interface Listener {
  address: string;
  port: number;
}

/** The TCP state LISTEN in /proc/net/tcp{,6} (include/net/tcp_states.h). */
const TCP_LISTEN = '0A';

/** `pid` and every process below it (children, their children...), from /proc/<pid>/stat. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The parent pid is the 2nd field after the command, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index += 1) {
    for (const [child, parent] of parents) if (parent === tree[index]) tree.push(child);
  }
  return tree;
}

/** The socket inodes a process holds open (its fds that link to `socket:[inode]`). */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    // The process ended, or is not ours to read.
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // The fd closed between the listing and the read.
    }
  }
  return inodes;
}

/** An address of /proc/net/tcp (IPv4: one little-endian word) or tcp6 (four little-endian words), as text. */
function addressOf(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((word) => word.match(/../g)!.reverse().join(''));
  if (words.length === 1)
    return words[0]!
      .match(/../g)!
      .map((byte) => parseInt(byte, 16))
      .join('.');
  const groups = words
    .join('')
    .match(/.{4}/g)!
    .map((group) => parseInt(group, 16).toString(16));
  // ::ffff:a.b.c.d is an IPv4 listener on a dual-stack socket: name it as IPv4.
  if (groups.slice(0, 5).every((group) => group === '0') && groups[5] === 'ffff') return addressOf(words[3]!);
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/**
 * Every TCP listener the processes hold, read from /proc (Linux): a
 * process's socket inodes matched with the LISTEN rows of /proc/net/tcp and
 * /proc/net/tcp6. Worker threads share their process's fds, so they count.
 */
export function listenersOf(pids: readonly number[]): Listener[] {
  const inodes = new Set(pids.flatMap((pid) => [...socketInodes(pid)]));
  const listeners: Listener[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, state, inode] = [fields[1]!, fields[3]!, fields[9]!];
      if (state !== TCP_LISTEN || !inodes.has(inode)) continue;
      const [hex, port] = local.split(':') as [string, string];
      listeners.push({ address: addressOf(hex), port: parseInt(port, 16) });
    }
  }
  return listeners;
}
