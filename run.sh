#!/usr/bin/env bash
# Installs everything MatlabMcp needs (first run only) and starts the server on Octave.
# With no arguments it speaks MCP over stdio, so an MCP client can spawn this script directly.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install.sh"
exec dotnet "$root/bin/Release/net10.0/matlab-mcp.dll" "$@"
