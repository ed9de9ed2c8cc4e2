#!/usr/bin/env bash
# Publishes MatlabMcp as a self-contained single-file binary in ./publish (matlab/ beside it).
#   ./publish.sh [--aot] [--rid linux-x64] [--output DIR]
# --aot builds Native AOT instead; it needs the NativeAOT runtime pack, which not every package
# mirror serves (the code itself is AOT-compatible and builds with zero trim/AOT warnings).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rid="linux-x64"; out="$root/publish"; aot=false
while (($#)); do
  case "$1" in
    --aot) aot=true ;;
    --rid) rid="$2"; shift ;;
    --output) out="$2"; shift ;;
    *) echo "usage: $0 [--aot] [--rid RID] [--output DIR]" >&2; exit 2 ;;
  esac
  shift
done
if $aot; then
  mode=(-p:MatlabMcpAot=true)
else
  mode=(--self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true)
fi
dotnet publish "$root/MatlabMcp.csproj" -c Release -r "$rid" "${mode[@]}" -o "$out" -nologo -v quiet -clp:ErrorsOnly >&2
echo "$out/matlab-mcp"
