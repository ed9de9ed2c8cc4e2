#!/usr/bin/env bash
# The JIT build beside the Native AOT binary, as a client that spawns the server sees them: start to the first
# initialize / tools/list / execute_code answers, the next calls with no warm-up (p50/p95), idle RSS, size.
# Builds both first (the AOT one only when stale, as run.sh does).
#   bench/startup.sh [--rounds 5] [--first-calls 300]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install.sh"            # the JIT build: bin/Release/net10.0/matlab-mcp.dll
"$root/run.sh" --version >/dev/null   # the AOT binary: bin/aot/current/matlab-mcp
dotnet run -c Release --project "$root/bench/MatlabMcp.Bench" -- --only startup "$@"
