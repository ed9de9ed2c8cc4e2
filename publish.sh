#!/usr/bin/env bash
# Publishes MatlabMcp for linux-x64 in ./publish with matlab/ (the bridge) beside the binary.
#   ./publish.sh [--jit] [--rid linux-x64] [--output DIR]
# By default a Native AOT binary: it starts in milliseconds and runs its first calls at full speed. The C toolchain
# it links with (gcc or clang, zlib1g-dev) is installed with apt when missing, as scripts/install.sh installs Octave.
# Trim and AOT warnings fail the publish (TreatWarningsAsErrors). --jit builds today's self-contained single-file
# binary instead (no C toolchain needed; slower start, and its early calls run before the JIT has tiered up).
# Prints the binary's path on stdout; everything else goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rid="linux-x64"; out="$root/publish"; aot=true
while (($#)); do
  case "$1" in
    --jit) aot=false ;;
    --aot) aot=true ;;   # the default; still accepted
    --rid) rid="$2"; shift ;;
    --output) out="$2"; shift ;;
    *) echo "usage: $0 [--jit] [--rid RID] [--output DIR]" >&2; exit 2 ;;
  esac
  shift
done
if $aot; then
  "$root/scripts/install.sh" --toolchain-only
  mode=(-p:PublishAot=true)
else
  mode=(-p:PublishAot=false --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true)
fi
dotnet publish "$root/MatlabMcp.csproj" -c Release -r "$rid" "${mode[@]}" -o "$out" -nologo -v quiet -clp:ErrorsOnly >&2
# Not part of the product: the AOT debug symbols (~55 MB), and a nuget.config the Web SDK may copy into the output.
rm -f "$out/matlab-mcp.dbg" "$out/nuget.config"
echo "$out/matlab-mcp"
