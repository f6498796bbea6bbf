// Which process owns a TCP connection, from Linux's /proc: lets a test attribute the connections a server saw
// (by the client's port) to the client processes that opened them, without trusting the clients' own word.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The socket inodes a process holds open (`/proc/<pid>/fd/* -> socket:[inode]`); empty once it is gone. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // The descriptor closed between listing and reading it.
    }
  }
  return inodes;
}

/**
 * Local port of every TCP socket connected to `remotePort`, by inode (`/proc/net/tcp` and `tcp6`:
 * `sl local rem st ... uid timeout inode`, addresses as hex `ADDR:PORT`).
 */
function localPortsByInode(remotePort: number): Map<string, number> {
  const ports = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local, remote] = fields;
      const inode = fields[9];
      if (!local || !remote || !inode || inode === '0') continue;
      const port = (address: string) => parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
      // One local port may serve connections to different servers: only this server's count.
      if (port(remote) === remotePort) ports.set(inode, port(local));
    }
  }
  return ports;
}

/** The given processes' TCP connections to `remotePort` (a local server), by their local port: port → pid. */
export function tcpPortOwners(pids: readonly number[], remotePort: number): Map<number, number> {
  const ports = localPortsByInode(remotePort);
  const owners = new Map<number, number>();
  for (const pid of pids) {
    for (const inode of socketInodes(pid)) {
      const port = ports.get(inode);
      if (port !== undefined) owners.set(port, pid);
    }
  }
  return owners;
}
