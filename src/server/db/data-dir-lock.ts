import fs from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'tenantpilot.lock';
/** Written by a server once it listens, so a command refused by the lock can say where it is. */
const SERVER_FILE = 'tenantpilot.server.json';

/** The process that holds the data directory, and its URL when that process is a listening server. */
export interface DataDirHolder {
  pid: number;
  serverUrl: string | null;
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder,
  ) {
    const who = holder.serverUrl
      ? `the TenantPilot server at ${holder.serverUrl} (pid ${holder.pid})`
      : `another TenantPilot process (pid ${holder.pid})`;
    super(
      `The embedded database in ${dataDir} is in use by ${who}. ` +
        'Stop that process, or set TENANTPILOT_DATA_DIR to another directory, or DATABASE_URL to use PostgreSQL.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The URL the holder announced, if the holder is the server that announced it (not a stale file). */
function serverUrlOf(dataDir: string, pid: number): string | null {
  try {
    const announced = JSON.parse(fs.readFileSync(path.join(dataDir, SERVER_FILE), 'utf8')) as {
      pid?: unknown;
      url?: unknown;
    };
    return announced.pid === pid && typeof announced.url === 'string' ? announced.url : null;
  } catch {
    return null;
  }
}

/**
 * The embedded database is one process's private files: a second process opening them would corrupt them.
 * Takes an exclusive lock file holding our pid; a lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(dataDir, { pid: holder, serverUrl: serverUrlOf(dataDir, holder) });
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}

/**
 * Called by a server holding the data directory once it listens: a command refused by the lock can then
 * send people to its web UI. Returns the function that withdraws the note (when the server stops).
 */
export function announceServer(dataDir: string, url: string): () => void {
  const file = path.join(dataDir, SERVER_FILE);
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, url }));
  return () => fs.rmSync(file, { force: true });
}
