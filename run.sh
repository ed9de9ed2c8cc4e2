#!/usr/bin/env bash
# Installs everything MatlabMcp needs (first run only) and starts the server on Octave.
# With no arguments it speaks MCP over stdio, so an MCP client can spawn this script directly.
#
# It starts the fastest build this machine can make: the Native AOT binary (bin/aot/current/matlab-mcp), published
# on first use and again only when a source file changed; the JIT build (dotnet bin/Release/…/matlab-mcp.dll) when
# no C toolchain can be installed or the AOT publish fails, saying so in one line on stderr.
# Everything this script prints goes to stderr: stdout carries MCP frames only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
aot="$root/bin/aot"
binary="$aot/current/matlab-mcp"

# Source files newer than $1 (the last build's stamp), the first one only: the check runs on every start.
# The pruned folders are build output, tests, bench and node_modules, which can be large.
changed_since() {
  find "$root" \( -name bin -o -name obj -o -name publish -o -name tests -o -name bench -o -name node_modules -o -name .git \) -prune \
    -o -newer "$1" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.m' \
    -o -name 'BannedSymbols.txt' -o -name publish.sh \) -print -quit
}

fresh() { [ -x "$binary" ] && [ -f "$aot/.stamp" ] && [ -z "$(changed_since "$aot/.stamp")" ]; }

jit() {
  "$root/scripts/install.sh"
  exec dotnet "$root/bin/Release/net10.0/matlab-mcp.dll" "$@"
}

# The fast path: a current AOT binary. Installed packages were checked when it was built.
fresh && exec "$binary" "$@"

# A previous attempt that failed for these very sources is not retried on every start.
failed_before() { [ -f "$aot/.failed" ] && [ -z "$(changed_since "$aot/.failed")" ]; }
jit_instead() {
  echo "matlab-mcp: no Native AOT build on this machine (see $aot/failed.log; delete $aot/.failed to retry): starting the JIT build" >&2
  jit "$@"
}
failed_before && jit_instead "$@"

"$root/scripts/install.sh" --no-build
mkdir -p "$aot"
# One build at a time: a client spawning run.sh twice at once waits for the first build, then uses it.
exec 9>"$aot/.lock"
flock 9
if failed_before; then
  exec 9>&-
  jit_instead "$@"
elif ! fresh; then
  echo "matlab-mcp: building the Native AOT binary (first start, or sources changed; about 2 minutes)" >&2
  started="$aot/.started"
  touch "$started"   # sources edited during the build must trigger the next one
  build="$aot/build-$(date +%s)-$$"
  if "$root/publish.sh" --output "$build" >/dev/null 2>"$aot/failed.log"; then
    # A new folder per build, switched to by renaming a symlink (atomic): a server starting meanwhile never sees a
    # half-written binary, and one already running keeps its own folder. Older builds than the last two go.
    ln -sfn "$(basename "$build")" "$aot/current.new"
    mv -T "$aot/current.new" "$aot/current"
    mv "$started" "$aot/.stamp"
    rm -f "$aot/.failed" "$aot/failed.log"
    ls -1dt "$aot"/build-* | tail -n +3 | xargs -r rm -rf
  else
    mv "$started" "$aot/.failed"
    rm -rf "$build"
    echo "matlab-mcp: the Native AOT build failed (see $aot/failed.log): starting the JIT build" >&2
    exec 9>&-
    jit "$@"
  fi
fi
exec 9>&-
exec "$binary" "$@"
