#!/usr/bin/env bash
# Interrupts N calls (default 2,000) of one real Octave engine — busy loops, pause, calls that just finished,
# idle bridges — while two CPU-burning processes run beside it, and prints the figures: every interrupt must
# keep the engine and its workspace (0 lost) and leave the bridge in step (0 desynchronised).
#   scripts/stress-interrupts.sh [N]        (builds the tests in Release first unless --no-build is given)
# The burners are started here and killed here, by pid, whatever happens.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count=2000
build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    ''|*[!0-9]*) echo "usage: $0 [N] [--no-build]" >&2; exit 2 ;;
    *) count="$arg" ;;
  esac
done
tests="$root/tests/MatlabMcp.Tests/MatlabMcp.Tests.csproj"
if ((build)); then
  dotnet build "$tests" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi

burners=()
stop_burners() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_burners EXIT
for _ in 1 2; do
  sh -c 'while :; do :; done' &
  burners+=("$!")
done
echo "stress-interrupts: $count interrupts, CPU burners ${burners[*]}" >&2

report="$(mktemp)"
status=0
MCP_STRESS_INTERRUPTS="$count" MCP_STRESS_REPORT="$report" \
  dotnet test --project "$tests" -c Release --no-build --treenode-filter '/*/*/InterruptStressTests/*' >&2 || status=$?
stop_burners
trap - EXIT
if [[ -s "$report" ]]; then
  cat "$report"
else
  echo "stress-interrupts: no report was written (the test run failed before the end)"
  status=${status/#0/1}
fi
rm -f "$report"
exit "$status"
