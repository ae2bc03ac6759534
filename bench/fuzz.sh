#!/usr/bin/env bash
# Run every native Go fuzz test (func FuzzXxx in *_test.go) of the module,
# one after the other, each for FUZZTIME (default 10s).
#
#   bash bench/fuzz.sh [FUZZTIME] [PATTERN]
#
# PATTERN (optional, a grep -E regexp) restricts the run to fuzz targets
# whose "pkg FuzzName" matches, e.g. `bash bench/fuzz.sh 60s data/`.
# Stops at the first crash and prints where the crasher was saved
# (testdata/fuzz/FuzzXxx/<hash> inside the package); rerun it with
#   go test -run '^FuzzXxx$/<hash>$' ./pkg
# Environment: FUZZ_PARALLEL (default 1: the build machine is shared);
# FUZZ_MINIMIZE (default 5s): -fuzzminimizetime, the time spent shrinking
# each new interesting input. Go's default (60s) let targets with inputs of
# a few KiB (mapping YAML, XLSX, GeoPackage) spend nearly all of a short run
# minimizing: FuzzParseMapping made 7 executions in 60 s, 4 300/s with 2s.
set -euo pipefail
FUZZTIME="${1:-10s}"
PATTERN="${2:-.}"
PARALLEL="${FUZZ_PARALLEL:-1}"
MINIMIZE="${FUZZ_MINIMIZE:-5s}"
cd "$(dirname "$0")/.."

# "dir FuzzName" for every fuzz target, sorted.
mapfile -t targets < <(
	grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+\(' . |
		grep -v '/vendor/' |
		sed -E 's#^\./(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+)\($#\1 \2#' |
		sort -u | grep -E -- "$PATTERN" || true
)
if [ "${#targets[@]}" -eq 0 ]; then
	echo "fuzz: no fuzz targets match $PATTERN" >&2
	exit 1
fi
echo "fuzz: ${#targets[@]} targets, $FUZZTIME each, -parallel $PARALLEL, -fuzzminimizetime $MINIMIZE"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
n=0
for t in "${targets[@]}"; do
	dir=${t% *}
	name=${t#* }
	n=$((n + 1))
	start=$(date +%s)
	printf 'fuzz [%d/%d] ./%s %s ... ' "$n" "${#targets[@]}" "$dir" "$name"
	if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$MINIMIZE" -parallel "$PARALLEL" "./$dir" >"$log" 2>&1; then
		last=$(grep -E '^fuzz: elapsed' "$log" | tail -1 | sed 's/^fuzz: //' || true)
		echo "ok ($(($(date +%s) - start))s wall; last: ${last:-?})"
	else
		echo "FAIL"
		cat "$log"
		saved=$(grep -Eo 'testdata/fuzz/[A-Za-z0-9_]+/[0-9a-f]+' "$log" | head -1 || true)
		if [ -n "$saved" ]; then
			echo
			echo "fuzz: crasher saved in ./$dir/$saved"
			echo "fuzz: reproduce with: go test -run '^${name}\$/$(basename "$saved")\$' ./$dir"
		fi
		exit 1
	fi
done
echo "fuzz: all ${#targets[@]} targets passed"
