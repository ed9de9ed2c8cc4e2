#!/usr/bin/env bash
# Runs the whole MatlabMcp test suite against a real Octave (installing what is missing first):
# the TUnit tests (on Microsoft.Testing.Platform, see global.json), the end-to-end test with the official
# MCP TypeScript SDK client, then the official MCP conformance suite. Arguments go to the TUnit run, e.g. a filter:
#   ./test.sh --treenode-filter '/*/*/SessionTests/*'
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
# --browser: Chromium for the browser tests (tests/MatlabMcp.Tests/Browser, Playwright never downloads one).
scripts/install.sh --browser
# The benchmarks are not run here, but they must build: a bench that no longer compiles goes unnoticed until needed.
dotnet build bench/MatlabMcp.Bench/MatlabMcp.Bench.csproj -c Release --nologo -v quiet

# The console log is long; on failure the failed tests are printed again at the very end,
# so the last screen of a CI log always names them with their messages.
log="$(mktemp -t matlab-mcp-tests.XXXXXX.log)"
trap 'rm -f "$log"' EXIT
if ! dotnet test --project tests/MatlabMcp.Tests/MatlabMcp.Tests.csproj -c Release \
    --no-ansi --no-progress --output Detailed "$@" 2>&1 | tee "$log"; then
  echo
  echo "==================== failed tests ===================="
  # A failure is a "failed <test>" line and its indented message and stack, up to the next result line.
  awk '/^(passed|skipped|failed) /{show=0} /^failed /{show=1} /\) failed with [0-9]+ error/{show=0} /^Test run summary/{show=0} show' "$log" \
    | cut -c1-400 | head -300
  sed -n '/^Test run summary/,$p' "$log"
  exit 1
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test.sh: Node.js >= 20 and npm are needed for tests/e2e-ts (the TypeScript SDK client test)." >&2
  exit 1
fi
npm ci --prefix tests/e2e-ts --no-audit --no-fund --loglevel=error
node tests/e2e-ts/e2e.mjs "$root/bin/Release/net10.0/matlab-mcp.dll"
# The official MCP conformance suite, server scenarios, against the HTTP endpoint.
npm ci --prefix tests/conformance --no-audit --no-fund --loglevel=error
node tests/conformance/conformance.mjs "$root/bin/Release/net10.0/matlab-mcp.dll"
