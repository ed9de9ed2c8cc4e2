#!/usr/bin/env bash
# Vendors the browser libraries the MCP Apps figure viewer inlines (wwwroot/vendor/), from npm, pinned and checked.
#   scripts/vendor-web.sh
# Run by a developer when a version changes, never at install or run time: the vendored files are committed,
# so the server needs neither node nor the network (a lab server may have no npm). Needs npm, tar, sha256sum.
# Each package's integrity (sha512, as the registry publishes it) is pinned here and checked against the tarball,
# then the copied file's sha256 is recorded in wwwroot/vendor/README.md (tests compare the file with it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/wwwroot/vendor"
work="$(mktemp -d -t matlab-mcp-vendor.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# name  version  integrity (the registry's sha512, pinned: a different tarball under the same version fails here)
plotly_pkg="plotly.js-dist-min"
plotly_version="4.1.2"
plotly_integrity="sha512-VSmS9KVNun16S8qFYYp9LlL/XBby4ueeGqB+K9AqRCVsup8dSpGULap4UyR1f2mz4pV3qjWp1sR5chwLgIKPoQ=="

fetch() {  # fetch <pkg> <version> <integrity>: packs into $work, checks the tarball, unpacks into $work/<pkg>
  local pkg="$1" version="$2" integrity="$3" tgz actual
  tgz="$(cd "$work" && npm pack "$pkg@$version" --silent)"
  actual="sha512-$(openssl dgst -sha512 -binary "$work/$tgz" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "vendor-web: $pkg@$version integrity mismatch: got $actual, pinned $integrity" >&2
    exit 1
  fi
  mkdir -p "$work/$pkg"
  tar -xzf "$work/$tgz" -C "$work/$pkg" --strip-components=1
}

fetch "$plotly_pkg" "$plotly_version" "$plotly_integrity"
src="$work/$plotly_pkg/plotly.min.js"
# The viewer inlines this file in a <script> element: a "</script" or "<script" inside it would end or confuse
# that element, so refuse such a build rather than escape minified code.
if grep -qi -e '</script' -e '<script' "$src"; then
  echo "vendor-web: $plotly_pkg@$plotly_version contains a <script> tag and cannot be inlined" >&2
  exit 1
fi
mkdir -p "$vendor"
cp "$src" "$vendor/plotly.min.js"
cp "$work/$plotly_pkg/LICENSE" "$vendor/plotly.LICENSE"
sha="$(sha256sum "$vendor/plotly.min.js" | cut -d' ' -f1)"
size="$(stat -c %s "$vendor/plotly.min.js")"

cat > "$vendor/README.md" <<MD
# Vendored browser libraries

Written by \`scripts/vendor-web.sh\`; do not edit by hand. The MCP Apps figure viewer (\`wwwroot/figure-viewer.html\`)
inlines these files when the server serves \`ui://matlab-mcp/figure-viewer\`: hosts render it in a sandboxed iframe
that may load nothing from elsewhere, and the server needs no node or network at run time.

| file | package | version | sha256 | bytes | licence |
|---|---|---|---|---|---|
| plotly.min.js | $plotly_pkg (npm) | $plotly_version | $sha | $size | MIT, plotly.LICENSE |

npm integrity of the tarball: \`$plotly_integrity\`.
MD
echo "vendor-web: $plotly_pkg@$plotly_version -> wwwroot/vendor/plotly.min.js ($size bytes, sha256 $sha)" >&2
