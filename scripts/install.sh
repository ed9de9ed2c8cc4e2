#!/usr/bin/env bash
# Installs what MatlabMcp needs (Debian packages, .NET restore/build) when it is missing.
# Idempotent and quick when everything is present. Everything it prints goes to stderr:
# in stdio mode the server's stdout belongs to the MCP protocol.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec 3>&1 1>&2   # keep stdout clean for the caller

packages=(octave gnuplot-nox ghostscript fonts-freefont-otf bubblewrap)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "matlab-mcp: installing ${missing[*]} (apt-get)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v dotnet >/dev/null; then
  echo "matlab-mcp: the .NET 10 SDK is required (dotnet was not found on PATH)." >&2
  exit 1
fi

# Rebuild only when a source file is newer than the last successful build.
stamp="$root/bin/Release/.build-stamp"
if [ ! -f "$stamp" ] || [ -n "$(find "$root" -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.m' -o -name 'BannedSymbols.txt' \) \
      -not -path '*/obj/*' -not -path '*/bin/*' -not -path '*/tests/*' -not -path '*/bench/*' -not -path '*/node_modules/*' -print -quit)" ]; then
  echo "matlab-mcp: building (dotnet build -c Release)"
  dotnet build "$root/MatlabMcp.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
  touch "$stamp"
fi
