import fs from 'node:fs';
import path from 'node:path';

/**
 * The server's own folder: src/server when run from the sources, dist/server when built. The build bundles the
 * code into a few files that sit at other depths than their sources (scripts/ensure-server-build.js), so files
 * beside the code (the migrations) and beside the package (dist/web, package.json) are found from this folder,
 * recognised by the migrations it holds, rather than from each module's own location.
 */
function findServerRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'db', 'migrations', 'meta', '_journal.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No db/migrations in ${from} or any folder above it`);
  }
}

export const serverRoot = findServerRoot(import.meta.dirname);
/** The checkout or installation: src/server and dist/server are both two levels below it. */
export const packageRoot = path.resolve(serverRoot, '..', '..');
