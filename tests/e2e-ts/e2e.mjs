#!/usr/bin/env node
// End-to-end: the official MCP TypeScript SDK client against the built matlab-mcp, over Streamable HTTP
// (bearer token, stateful session) and over stdio. Exit code 0 = every check passed.
// Usage: node e2e.mjs [path/to/matlab-mcp.dll]   (default: the Release build of this repository)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const here = dirname(fileURLToPath(import.meta.url));
const dll = resolve(process.argv[2] ?? join(here, '..', '..', 'bin', 'Release', 'net10.0', 'matlab-mcp.dll'));
const scratch = mkdtempSync(join(tmpdir(), 'mcp-e2e-ts-'));
chmodSync(scratch, 0o755); // the work root: engines may run as another user (sandbox.engine_user)
const log = (message) => process.stderr.write(`e2e-ts: ${message}\n`);
let checks = 0;
const check = (what, fn) => { fn(); checks++; log(`ok  ${what}`); };

/** Starts the server over HTTP on a free loopback port; resolves once it logs its endpoint. */
function startHttpServer(env) {
  const child = spawn('dotnet', [dll, '--transport', 'http', '--port', '0'], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const endpoint = new Promise((resolveEndpoint, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${stderr}`)), 60_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /MCP endpoint (\S+)/.exec(stderr);
      if (match) { clearTimeout(timer); resolveEndpoint(new URL(match[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}) before listening:\n${stderr}`)); });
  });
  const stop = () => new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
  });
  return { endpoint, stop };
}

/** Lists the tools and runs execute_code twice: the second call must see the first call's variable. */
async function exercise(client, label) {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  check(`${label}: tools/list has execute_code and get_workspace`, () => {
    assert.ok(names.includes('execute_code'), names.join(','));
    assert.ok(names.includes('get_workspace'), names.join(','));
  });
  const first = await client.callTool({ name: 'execute_code', arguments: { code: 'x = 42;' } });
  const second = await client.callTool({ name: 'execute_code', arguments: { code: 'disp(x)' } });
  check(`${label}: x = 42 then disp(x) prints 42`, () => {
    assert.notEqual(first.isError, true, JSON.stringify(first));
    assert.notEqual(second.isError, true, JSON.stringify(second));
    assert.equal(second.content.filter((c) => c.type === 'text').map((c) => c.text).join(''), '42');
    assert.equal(second.structuredContent?.status, 'completed');
  });
  const plot = await client.callTool({ name: 'execute_code', arguments: { code: 'plot(1:10, (1:10).^2); title("squares");' } });
  check(`${label}: a plot comes back as a PNG image, without structuredContent (which would hide it in Claude Code)`, () => {
    assert.notEqual(plot.isError, true, JSON.stringify(plot).slice(0, 500));
    const images = plot.content.filter((c) => c.type === 'image');
    assert.equal(images.length, 1, JSON.stringify(plot.content.map((c) => c.type)));
    assert.equal(images[0].mimeType, 'image/png');
    assert.equal(Buffer.from(images[0].data, 'base64').subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(plot.structuredContent, undefined);
    assert.equal(tools.find((t) => t.name === 'execute_code').outputSchema, undefined);
  });
}

const rawPost = (url, headers, body) => fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  body: JSON.stringify(body),
});
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '0' } } };

async function http() {
  const token = randomBytes(32).toString('base64url');
  const tokensFile = join(scratch, 'tokens');
  writeFileSync(tokensFile, `# e2e\ne2e:${createHash('sha256').update(token).digest('hex')}\n`);
  const server = startHttpServer({
    MATLAB_MCP_AUTH__TOKENS_FILE: tokensFile, MATLAB_MCP_ENGINE__WORK_ROOT: scratch, MATLAB_MCP_JOBS__DATABASE: join(scratch, 'jobs-http.db'),
  });
  try {
    const url = await server.endpoint;
    log(`HTTP server at ${url}`);

    const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
    const client = new Client({ name: 'matlab-mcp-e2e', version: '0.1.0' });
    await client.connect(transport);
    const sessionId = transport.sessionId;
    check('http: the 2025-11-25 client got an Mcp-Session-Id', () => assert.ok(sessionId));
    await exercise(client, 'http');

    await transport.terminateSession();
    const afterDelete = await rawPost(url, { authorization: `Bearer ${token}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      { jsonrpc: '2.0', id: 9, method: 'tools/list' });
    check('http: DELETE ended the session (then 404)', () => assert.equal(afterDelete.status, 404));
    await client.close();

    for (const [what, headers] of [['no token', {}], ['a wrong token', { authorization: `Bearer ${token}x` }]]) {
      const response = await rawPost(url, headers, initialize);
      check(`http: ${what} gets 401 with WWW-Authenticate: Bearer`, () => {
        assert.equal(response.status, 401);
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
      });
    }
    const wrong = new Client({ name: 'matlab-mcp-e2e', version: '0.1.0' });
    const wrongTransport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: 'Bearer wrong-token-of-decent-length' } } });
    await assert.rejects(wrong.connect(wrongTransport), (error) => error.code === 401);
    check('http: the SDK client with a wrong token fails to connect (401)', () => {});
    await wrong.close().catch(() => {});
  } finally {
    await server.stop();
  }
}

async function stdio() {
  const transport = new StdioClientTransport({
    command: 'dotnet', args: [dll], stderr: 'ignore',
    env: { ...process.env, MATLAB_MCP_ENGINE__WORK_ROOT: scratch, MATLAB_MCP_JOBS__DATABASE: join(scratch, 'jobs-stdio.db') },
  });
  const client = new Client({ name: 'matlab-mcp-e2e', version: '0.1.0' });
  await client.connect(transport);
  try {
    await exercise(client, 'stdio');
  } finally {
    await client.close();
  }
}

try {
  await http();
  await stdio();
  log(`all ${checks} checks passed`);
} catch (error) {
  log(`FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
