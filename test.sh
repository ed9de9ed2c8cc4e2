#!/usr/bin/env bash
# Runs the whole MatlabMcp test suite against a real Octave (installing what is missing first).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
scripts/install.sh
dotnet test tests/MatlabMcp.Tests/MatlabMcp.Tests.csproj -c Release -nologo --logger "console;verbosity=normal" "$@"
