#!/usr/bin/env bash
# bench/warmup-ab.sh — what the first visitor after a start meets, with the
# start-up warm-up on and off, alternated on this machine in one run.
#
# Each run: a fresh copy of the embedded demo store, a fresh `segmap serve`
# (warm-up on: the defaults; off: --warm-max-zoom -1), and as soon as the
# port accepts connections one visitor requests the fixed tile list of the
# Stockholm DeSO layer (bench/tiles.sh's list: every tile meeting the layer
# up to 40 per zoom, z0 → z14) one at a time, in order, with gzip. The order
# of the two settings swaps every round. A zoom's p95 in one run rests on a
# single tile for z0–z5 (its first: the zoom's preparation), so the verdict
# is on the median over ROUNDS fresh servers of each run's worst-zoom p95,
# and of each zoom's p95.
#
#   ROUNDS=6 bash bench/warmup-ab.sh [SEGMAP_BINARY]
#
# Output: bench/results/<date>-warmup-ab3-raw/ (one TSV per run, uptime
# before each) and a table on stdout. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-6}
PORT=${PORT:-18451}
OUT=${OUT:-bench/results/$(date -u +%F)-warmup-ab3-raw}
mkdir -p "$OUT"
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
bin=${1:-}
if [ -z "$bin" ]; then
	bin=$work/segmap
	go build -o "$bin" ./cmd/segmap
fi
(cd bench/tools && go build -o "$work/benchtool" .)
"$work/benchtool" tilelist -geojson testdata/tiles/deso_2018_stockholms_lan_4326_simplified.geojson -max 40 >"$work/list.txt"
cp "$work/list.txt" "$OUT/tiles.txt"
"$bin" demo "$work/demo.gpkg" >/dev/null
{
	echo "machine: $(nproc) cores; binary: $bin ($("$bin" version 2>/dev/null | head -1 || true)); commit $(git rev-parse --short HEAD)"
	echo "tiles in the list: $(wc -l <"$work/list.txt")"
} | tee "$OUT/meta.txt"

wait_port() { # until the port accepts connections (poll every 5 ms)
	local i
	for ((i = 0; i < 36000; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.005
	done
	return 1
}

for round in $(seq 1 "$ROUNDS"); do
	order="on off"
	[ $((round % 2)) = 0 ] && order="off on"
	for side in $order; do
		cp "$work/demo.gpkg" "$work/run.gpkg"
		rm -f "$work/run.gpkg-wal" "$work/run.gpkg-shm"
		flags=()
		[ "$side" = off ] && flags=(--warm-max-zoom -1)
		echo "uptime: $(uptime)" >"$OUT/$side-$round.uptime"
		"$bin" serve --addr "127.0.0.1:$PORT" --store "$work/run.gpkg" "${flags[@]}" >"$work/serve.log" 2>&1 &
		pid=$!
		wait_port || { echo "server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
		"$work/benchtool" cold -base "http://127.0.0.1:$PORT" -list "$work/list.txt" -timeout 10m >"$OUT/$side-$round.tsv"
		if [ "$side" = on ] && ! grep -q 'tiles warmed' "$work/serve.log"; then
			echo "warm-up still running when the pass ended" >>"$OUT/$side-$round.uptime"
		fi
		kill "$pid"
		wait "$pid" 2>/dev/null || true
		pid=
		echo "round $round $side: $(tail -n +2 "$OUT/$side-$round.tsv" | awk -F'\t' '{s+=$4} END {printf "pass %.0f ms", s}'); $(cat "$OUT/$side-$round.uptime")" >&2
	done
done

python3 - "$OUT" "$ROUNDS" <<'EOF'
import csv, glob, math, os, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def p95(xs):
    xs = sorted(xs)
    return xs[max(0, math.ceil(0.95 * len(xs)) - 1)]
runs = {"on": [], "off": []}
for side in runs:
    for r in range(1, rounds + 1):
        per = {}
        with open(os.path.join(out, f"{side}-{r}.tsv")) as f:
            for row in csv.DictReader(f, delimiter="\t"):
                per.setdefault(int(row["z"]), []).append(float(row["ms"]))
        runs[side].append({z: p95(v) for z, v in per.items()})
zooms = sorted(runs["on"][0])
med = lambda xs: statistics.median(xs)
print(f"\nMedian over {rounds} fresh servers of each run's p95 (ms) per zoom, first visitor at port-open\n")
print("| z | warm-up on | warm-up off | on ÷ off |")
print("|---|---:|---:|---:|")
for z in zooms:
    a, b = med([r[z] for r in runs["on"]]), med([r[z] for r in runs["off"]])
    print(f"| {z} | {a:.1f} | {b:.1f} | {a / b:.2f} |")
w = {s: [max(r.values()) for r in runs[s]] for s in runs}
tot = {s: [sum(r.values()) for r in runs[s]] for s in runs}
print(f"| worst zoom, median of runs | {med(w['on']):.1f} | {med(w['off']):.1f} | {med(w['on']) / med(w['off']):.2f} |")
print(f"| sum of the zooms' p95, median | {med(tot['on']):.0f} | {med(tot['off']):.0f} | {med(tot['on']) / med(tot['off']):.2f} |")
print()
print("each run's worst-zoom p95 (ms): on " + ", ".join(f"{x:.0f}" for x in w["on"]) + "; off " + ", ".join(f"{x:.0f}" for x in w["off"]))
EOF
