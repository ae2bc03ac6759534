#!/usr/bin/env bash
# bench/mixed-ab.sh — the mixed load session (bench/load) against two segmap
# binaries, interleaved in one run on this machine: for each round and each
# binary, a fresh copy of its own demo store, a fresh server (--tile-cache-mb 64),
# `load -c C -d D`, then the server is stopped. uptime before every run.
#
#   OLD=/tmp/segmap-main NEW=/tmp/segmap-branch ROUNDS=2 C=256 D=25s bash bench/mixed-ab.sh
#
# Output: bench/results/<date>-mixed-ab-raw/ (one file per run) and a
# table on stdout. Loopback only; every server started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${OLD:?path of the old segmap binary}
NEW=${NEW:?path of the new segmap binary}
ROUNDS=${ROUNDS:-2}
C=${C:-256}
D=${D:-25s}
PORT=${PORT:-18311}
OUT=${OUT:-bench/results/$(date -u +%F)-mixed-ab-raw}
mkdir -p "$OUT"
work=$(mktemp -d)
pid=
# cpu_ticks is the user + system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
(cd bench/load && go build -o "$work/load" .)
# each binary makes its own demo store (an older binary refuses a newer schema)
"$OLD" demo "$work/demo-old.gpkg" >/dev/null
"$NEW" demo "$work/demo-new.gpkg" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  for side in old new; do
    bin=$OLD; [ "$side" = new ] && bin=$NEW
    cp "$work/demo-$side.gpkg" "$work/run.gpkg"
    rm -f "$work/run.gpkg-wal" "$work/run.gpkg-shm"
    "$bin" serve --addr 127.0.0.1:$PORT --store "$work/run.gpkg" --tile-cache-mb 64 >"$work/$side-$round.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
    if ! kill -0 "$pid" 2>/dev/null; then echo "$side server did not start:" >&2; cat "$work/$side-$round.log" >&2; exit 1; fi
    f="$OUT/$side-$round.md"
    cpu0=$(cpu_ticks "$pid")
    { echo "uptime: $(uptime)"; "$work/load" -url "http://127.0.0.1:$PORT" -pid "$pid" -c "$C" -d "$D" || true; echo "uptime after: $(uptime)"; } >"$f" 2>&1
    cpu1=$(cpu_ticks "$pid")
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    row=$(grep -E "^\| $C \|" "$f" | head -1)
    # answered = 2xx + 304 (columns 11 and 12 of the load table)
    answered=$(echo "$row" | awk -F'|' '{gsub(/ /,"",$11); gsub(/ /,"",$12); print $11+$12}')
    cpu_ms=$(( (cpu1 - cpu0) * 1000 / $(getconf CLK_TCK) ))
    echo "server CPU during the run: $cpu_ms ms; answered: $answered; CPU per answered request: $(awk -v c="$cpu_ms" -v a="$answered" 'BEGIN{printf "%.2f", a ? c/a : 0}') ms" >>"$f"
    printf '%s round %s: %s | answered %s | server CPU %s ms (%s ms per answered) | load %s\n' "$side" "$round" "$row" "$answered" "$cpu_ms" \
      "$(awk -v c="$cpu_ms" -v a="$answered" 'BEGIN{printf "%.2f", a ? c/a : 0}')" "$(head -1 "$f" | sed 's/.*load average: //')"
  done
done
