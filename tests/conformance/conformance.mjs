#!/usr/bin/env node
// Runs the official MCP conformance suite (npm @modelcontextprotocol/conformance, server mode) against the built
// matlab-mcp over Streamable HTTP: every server scenario that applies to this server. Exit code 0 = all passed.
// Usage: node conformance.mjs [path/to/matlab-mcp.dll]   (default: the Release build of this repository)
// Scenarios for resources, prompts and completion join the list when the server has those features.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const scenarios = [
  'server-initialize', 'ping', 'tools-list', 'logging-set-level',
  'dns-rebinding-protection', 'server-sse-multiple-streams', 'server-sse-polling',
];

const here = dirname(fileURLToPath(import.meta.url));
const dll = resolve(process.argv[2] ?? join(here, '..', '..', 'bin', 'Release', 'net10.0', 'matlab-mcp.dll'));
const cli = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const scratch = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));
chmodSync(scratch, 0o755); // the work root: engines may run as another user
const log = (message) => process.stderr.write(`conformance: ${message}\n`);

/** A port free on both loopback families: --host localhost binds 127.0.0.1 and ::1 on one fixed port. */
async function freePort() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise((done, fail) => {
      const probe = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
        const { port } = probe.address();
        probe.close(() => done(port));
      });
    });
    const v6Free = await new Promise((done) => {
      const probe = createServer().once('error', () => done(false)).listen(port, '::1', () => probe.close(() => done(true)));
    });
    if (v6Free) return port;
  }
  throw new Error('no port free on both 127.0.0.1 and ::1');
}

/** No tokens: the DNS-rebinding scenario is defined for an unauthenticated localhost server. */
async function startServer(port) {
  const child = spawn('dotnet', [dll, '--transport', 'http', '--host', 'localhost', '--port', String(port)], {
    env: { ...process.env, MATLAB_MCP_ENGINE__WORK_ROOT: scratch, MATLAB_MCP_JOBS__DATABASE: join(scratch, 'jobs.db') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  await new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within 60 s:\n${stderr}`)), 60_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (/MCP endpoint /.test(stderr)) { clearTimeout(timer); ready(); }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited (${code}) before listening:\n${stderr}`)); });
  });
  return () => new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}

function runScenario(url, scenario) {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', join(here, 'node20-globsync.mjs'), cli, 'server', '--url', url, '--scenario', scenario],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => { clearTimeout(timer); done({ code, output }); });
  });
}

let failed = 0;
const port = await freePort();
const stop = await startServer(port);
try {
  const url = `http://localhost:${port}/mcp`;
  log(`server at ${url}`);
  for (const scenario of scenarios) {
    const { code, output } = await runScenario(url, scenario);
    // "Passed: 2/2, 0 failed, 0 warnings": the CLI's own summary line (ANSI colours stripped).
    const summary = /Passed: .*/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''))?.[0] ?? 'no summary';
    if (code === 0 && summary.includes(' 0 failed')) {
      log(`ok    ${scenario}: ${summary}`);
    } else {
      failed++;
      log(`FAIL  ${scenario} (exit ${code}): ${summary}\n${output}`);
    }
  }
} finally {
  await stop();
  rmSync(scratch, { recursive: true, force: true });
}
if (failed > 0) {
  log(`${failed} of ${scenarios.length} scenarios failed`);
  process.exit(1);
}
log(`all ${scenarios.length} scenarios passed`);
