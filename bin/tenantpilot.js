#!/usr/bin/env node
// The `tenantpilot` command runs the compiled server (dist/server) on plain Node, no TypeScript loader. It
// builds it first when it is missing or older than src/server (and, for `serve`, the UI in dist/web), so a
// fresh clone, an edited checkout and a deployed build all run what their sources say.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(
    `TenantPilot needs Node.js 20.19 or later (24 LTS is tested too); this is ${process.version}.`,
  );
  process.exit(1);
}
const { ensureServerBuild } = await import('../scripts/ensure-server-build.js');
try {
  ensureServerBuild();
  if (process.argv[2] === 'serve') {
    const { ensureWebBuild } = await import('../scripts/ensure-web-build.js');
    ensureWebBuild({ output: process.stderr });
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const { runCli } = await import('../dist/server/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));
