#!/usr/bin/env bash
# Times a warm GET /api/classify (Fisher–Jenks, k = 5, every DeSO of the
# store) against R's classInt::classIntervals(x, 5, "fisher") on the same
# values, in one run on the same machine. Needs curl, python3, Rscript with
# classInt. Usage:
#   bash bench/analysis.sh [SEGMAP_BINARY] [STORE]
# Without arguments it builds segmap from this checkout and a demo store.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
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
q='level=deso&indicator=low_econ_standard_pct&method=fisher&k=5'
curl -fs "$base/api/values?level=deso&indicator=low_econ_standard_pct" |
	python3 -c 'import json,sys; [print(a["value"]) for a in json.load(sys.stdin)["areas"] if a["value"] is not None and not a["suppressed"]]' >"$work/x.txt"
echo "uptime: $(uptime)"
echo "values: $(wc -l <"$work/x.txt") finite of the DeSO in $store"
Rscript -e '
suppressMessages(library(classInt))
x <- scan(commandArgs(TRUE)[1], quiet = TRUE)
invisible(classIntervals(x, 5, style = "fisher"))
t <- replicate(20, system.time(classIntervals(x, 5, style = "fisher"))[["elapsed"]])
cat(sprintf("R classInt fisher: median %.2f ms (n = %d, 20 runs)\n", 1000 * median(t), length(x)))
' "$work/x.txt"
time_get() { # $1 label, $2 extra curl args
	for i in $(seq 1 50); do
		curl -fs -o /dev/null -H "Accept-Encoding: gzip" ${2:-} -w '%{time_total}\n' "$base/api/classify?$q"
	done | sort -n | awk -v l="$1" '{a[NR]=$1} END {printf "%s: p50 %.2f ms, p90 %.2f ms (50 requests)\n", l, 1000*a[int(NR/2)+1], 1000*a[int(NR*0.9)]}'
}
cold=$(curl -fs -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}' "$base/api/classify?$q")
echo "HTTP classify, first request: $(python3 -c "print(f'{1000*$cold:.1f} ms')")"
time_get "HTTP classify, warm"
etag=$(curl -fsI -H 'Accept-Encoding: gzip' "$base/api/classify?$q" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
if [ -n "$etag" ]; then
	time_get "HTTP classify, revalidated (304)" "-H If-None-Match:$etag"
fi
echo "uptime: $(uptime)"
