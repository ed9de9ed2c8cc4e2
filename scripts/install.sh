#!/usr/bin/env bash
# Installs what MatlabMcp needs (Debian packages, .NET restore/build) when it is missing.
#   scripts/install.sh [--no-build] [--toolchain | --toolchain-only] [--browser]
# --toolchain also installs the C toolchain Native AOT links with (gcc, libc6-dev, zlib1g-dev; clang serves
# too when present); --toolchain-only installs just that (publish.sh); --no-build skips the .NET build;
# --browser also installs Chromium, which the browser tests (Playwright) drive: test.sh passes it, the server never needs it.
# Idempotent and quick when everything is present. Everything it prints goes to stderr:
# in stdio mode the server's stdout belongs to the MCP protocol.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec 3>&1 1>&2   # keep stdout clean for the caller

packages=(octave gnuplot-nox ghostscript fonts-freefont-otf bubblewrap)
toolchain=(libc6-dev zlib1g-dev)
command -v clang >/dev/null || toolchain+=(gcc)   # ILCompiler links with clang, else gcc
build=true
while (($#)); do
  case "$1" in
    --no-build) build=false ;;
    --toolchain) packages+=("${toolchain[@]}") ;;
    --toolchain-only) packages=("${toolchain[@]}"); build=false ;;
    --browser) packages+=(chromium) ;;
    *) echo "usage: $0 [--no-build] [--toolchain | --toolchain-only] [--browser]" >&2; exit 2 ;;
  esac
  shift
done

# One dpkg-query for all packages (unknown ones print nothing): it is most of a start when all is installed.
declare -A installed=()
while read -r pkg status; do
  [ "$status" != "installed" ] || installed[${pkg%%:*}]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for pkg in "${packages[@]}"; do
  [ -n "${installed[$pkg]:-}" ] || missing+=("$pkg")
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

$build || exit 0

# Rebuild only when a source file is newer than the last successful build.
stamp="$root/bin/Release/.build-stamp"
if [ ! -f "$stamp" ] || [ -n "$(find "$root" -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.m' -o -name 'BannedSymbols.txt' \) \
      -not -path '*/obj/*' -not -path '*/bin/*' -not -path '*/tests/*' -not -path '*/bench/*' -not -path '*/node_modules/*' -print -quit)" ]; then
  echo "matlab-mcp: building (dotnet build -c Release)"
  dotnet build "$root/MatlabMcp.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
  touch "$stamp"
fi
