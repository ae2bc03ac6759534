#!/usr/bin/env bash
# bench/analysis.sh — the analysis API against R, in one run on this machine:
#
#   * GET /api/classify (Fisher–Jenks, k = 5, every DeSO of the store: 5,984
#     on the demo) against classInt::classIntervals(x, 5, "fisher") on the
#     same values;
#   * GET /api/lisa (local Moran, queen contiguity, row-standardised, 999
#     conditional permutations) against spdep on the same areas and values:
#     poly2nb + nb2listw + localmoran_perm(nsim = 999) (what an analyst runs
#     for a new layer), and localmoran_perm alone with the weights made.
#
# Each API figure is 50 requests on one kept-alive connection (as a browser
# asks), first with Accept-Encoding: gzip, then without (curl, scripts), then
# revalidated with If-None-Match (a 304). "first request" is the cold build
# after the server's start. R's figures are the median of 20 (classInt) or
# 5 (spdep) runs after a warm-up run.
#
# Needs curl, python3, Rscript with classInt, spdep and sf (Debian:
# r-cran-classint r-cran-spdep r-cran-sf). Usage:
#   bash bench/analysis.sh [SEGMAP_BINARY] [STORE]
# Without arguments it builds segmap from this checkout and a demo store.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
bin=${1:-}
store=${2:-}
if [ -z "$bin" ]; then
	bin=$work/segmap
	go build -o "$bin" ./cmd/segmap
fi
if [ -z "$store" ]; then
	store=$work/demo.gpkg
	"$bin" demo "$store" >/dev/null
fi
port=${PORT:-18731}
base=http://127.0.0.1:$port
"$bin" serve --addr 127.0.0.1:$port --store "$store" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
	curl -fs "$base/readyz" >/dev/null && break
	sleep 0.1
done
ind=${INDICATOR:-low_econ_standard_pct}
cq="level=deso&indicator=$ind&method=fisher&k=5"
lq="level=deso&indicator=$ind&permutations=999&seed=1&neighbours=${NEIGHBOURS:-queen}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "uptime: $(uptime)"

# ms prints seconds as milliseconds.
ms() { python3 -c "import sys; print(f'{1000*float(sys.argv[1]):.2f} ms')" "$1"; }

# keepalive LABEL URL [curl args...]: 50 requests on one connection; p50/p90.
keepalive() {
	local label=$1 url=$2
	shift 2
	local args=()
	for _ in $(seq 1 50); do args+=(-o /dev/null "$url"); done
	curl -fs "$@" -w '%{time_total}\n' "${args[@]}" | sort -n |
		awk -v l="$label" '{a[NR]=$1} END {printf "%s: p50 %.2f ms, p90 %.2f ms (%d requests, one connection)\n", l, 1000*a[int(NR/2)+1], 1000*a[int(NR*0.9)], NR}'
}

# fresh LABEL URL [curl args...]: 50 requests, each a new curl process and
# connection (what the script measured before 2026-12-07 night).
fresh() {
	local label=$1 url=$2
	shift 2
	for _ in $(seq 1 50); do
		curl -fs -o /dev/null "$@" -w '%{time_total}\n' "$url"
	done | sort -n |
		awk -v l="$label" '{a[NR]=$1} END {printf "%s: p50 %.2f ms, p90 %.2f ms (%d requests, a new connection each)\n", l, 1000*a[int(NR/2)+1], 1000*a[int(NR*0.9)], NR}'
}

# api NAME QUERY: the first (cold) request, then warm with and without gzip, then 304.
api() {
	local name=$1 url="$base/api/$1?$2"
	local cold size
	read -r cold size < <(curl -fs -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total} %{size_download}\n' "$url")
	echo "API $name, first request: $(ms "$cold") ($size bytes gzipped)"
	keepalive "API $name, warm, gzip" "$url" -H 'Accept-Encoding: gzip'
	keepalive "API $name, warm, no gzip" "$url"
	fresh "API $name, warm, gzip" "$url" -H 'Accept-Encoding: gzip'
	local etag
	etag=$(curl -fsI -H 'Accept-Encoding: gzip' "$url" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
	if [ -n "$etag" ]; then
		keepalive "API $name, revalidated (304)" "$url" -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag"
	fi
}

# The same values and areas for R: every finite value of the classification,
# and the LISA's areas (those with boundaries) as GeoJSON with their values.
curl -fs "$base/api/values?level=deso&indicator=$ind" |
	python3 -c 'import json,sys; [print(a["value"]) for a in json.load(sys.stdin)["areas"] if a["value"] is not None and not a["suppressed"]]' >"$work/x.txt"
curl -fs -o "$work/areas.geojson" "$base/api/export.geojson?level=deso&indicator=$ind"
echo "values: $(wc -l <"$work/x.txt") finite of the DeSO in $store"

api classify "$cq"
api lisa "$lq"
curl -fs "$base/api/lisa?$lq" | python3 -c '
import json, sys
d = json.load(sys.stdin)
n = sum(1 for a in d["areas"] if a["cluster"] != "nodata")
i = d["moran"]["i"]
print(f"API lisa: {n} areas with boundaries and a value, global Moran I = {i:.6f}")'

Rscript -e '
suppressMessages({library(classInt); library(spdep); library(sf)})
x <- scan(commandArgs(TRUE)[1], quiet = TRUE)
invisible(classIntervals(x, 5, style = "fisher"))
t <- replicate(20, system.time(classIntervals(x, 5, style = "fisher"))[["elapsed"]])
cat(sprintf("R classInt fisher: median %.2f ms (n = %d, 20 runs)\n", 1000 * median(t), length(x)))
a <- st_read(commandArgs(TRUE)[2], quiet = TRUE)
a <- a[!is.na(a$value) & !a$suppressed, ]
full <- function() {
  nb <- poly2nb(a, queen = TRUE)
  lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
  localmoran_perm(a$value, lw, nsim = 999, zero.policy = TRUE)
}
set.seed(1); invisible(full())
t <- replicate(5, system.time(full())[["elapsed"]])
cat(sprintf("R spdep poly2nb + nb2listw + localmoran_perm(nsim = 999): median %.1f ms (n = %d, 5 runs)\n", 1000 * median(t), nrow(a)))
lw <- nb2listw(poly2nb(a, queen = TRUE), style = "W", zero.policy = TRUE)
t <- replicate(5, system.time(localmoran_perm(a$value, lw, nsim = 999, zero.policy = TRUE))[["elapsed"]])
cat(sprintf("R spdep localmoran_perm(nsim = 999), weights made: median %.1f ms (5 runs)\n", 1000 * median(t)))
cat(sprintf("R spdep global Moran I = %.6f (the API'"'"'s above must be the same)\n", moran.test(a$value, lw, zero.policy = TRUE)$estimate[[1]]))
' "$work/x.txt" "$work/areas.geojson"
echo "uptime: $(uptime)"
