// What the two builds (the server into dist/server, the UI into dist/web) share: deciding whether an
// output is older than its inputs, and putting a finished output in place without a half-written moment.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Newest mtime under the given paths (0 for a missing one). Directories count too, so a deleted file still
 * makes the output stale. `skip` leaves out files that do not go into the output.
 */
export function newestMtime(paths, skip = () => false) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) {
      const entries = readdirSync(path).filter((entry) => !skip(entry));
      newest = Math.max(
        newest,
        newestMtime(
          entries.map((entry) => join(path, entry)),
          skip,
        ),
      );
    }
  }
  return newest;
}

/**
 * Swaps a finished `staging` directory in as `target` with renames, so that a server or test reading
 * `target` never sees a half-emptied folder while another process rebuilds it, and two builds racing
 * each other both end with a complete output.
 */
export function swapIntoPlace(staging, target) {
  const previous = `${target}.previous-${process.pid}`;
  try {
    renameSync(target, previous);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another build swapped its output in between our two renames: theirs is as fresh as ours.
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(previous, { recursive: true, force: true });
}
