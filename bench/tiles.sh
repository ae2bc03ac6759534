#!/usr/bin/env bash
# bench/tiles.sh — serve the same DeSO layers from segmap and from peer tile
# servers on this machine, in one run, and write bench/results/<date>-tiles.md.
# See bench/README.md. Loopback only; every load run is bounded in time.
#
#   bash bench/tiles.sh                      # everything (about 10 min on 2 cores)
#   DURATION=10s LAYERS=stockholm SERVERS="segmap geojsonvt" bash bench/tiles.sh
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SHARED=${SHARED:-$ROOT/../shared/data/se/boundaries}
DURATION=${DURATION:-15s}          # each wrk run
CONNS=${CONNS:-"16 64"}            # wrk concurrency levels
THREADS=${THREADS:-2}              # wrk threads (the machine has 2 cores)
LAYERS=${LAYERS:-"stockholm dalarna goteborg"}
SERVERS=${SERVERS:-"segmap geojsonvt postgis fixed same"}
EXPORT=${EXPORT:-1}                # 0 skips the full-pyramid export comparison
NOGZIP=${NOGZIP:-1}                # 1: also load segmap and geojson-vt as a client without gzip
OPEN_PASS=${OPEN_PASS:-1}          # 1: also a segmap cold pass started at port-open, during its warm-up
PER_ZOOM=${PER_ZOOM:-40}           # tiles per zoom in the fixed list
INSTALL=${INSTALL:-1}              # 0: never apt-get/npm install, skip what is missing
DATE=$(date -u +%F)
RAW=${RAW:-$HERE/results/$DATE-raw}
OUT=${OUT:-$HERE/results/$DATE-tiles.md}
WORK=$(mktemp -d /tmp/segmap-bench.XXXXXX)
chmod 755 "$WORK"
PORT_BASE=${PORT_BASE:-18180}
PIDS=()
PG_DATA=""

log() { printf '[%s] %s\n' "$(date -u +%T)" "$*" >&2; }
note() { printf -- '- %s\n' "$*" >>"$RAW/notes.txt"; log "NOTE: $*"; }

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	if [[ -n $PG_DATA && -f $PG_DATA/postmaster.pid ]]; then
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir -p "$RAW"
KEEP=${KEEP:-0} # 1: keep raw results of servers/layers not rerun (merge runs)
if [[ $KEEP != 1 ]]; then rm -f "$RAW"/*.tsv "$RAW"/*.txt; else rm -f "$RAW/notes.txt"; fi

# ---------------------------------------------------------------- tools
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_install() {
	[[ $INSTALL == 1 ]] || return 1
	log "apt-get install $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$WORK/apt.log" 2>&1 ||
		{ as_root apt-get update -qq >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$WORK/apt.log" 2>&1; }
}

ensure_tools() {
	command -v wrk >/dev/null || apt_install wrk || { log "wrk missing"; exit 1; }
	[[ -x /usr/bin/time ]] || apt_install time || true
	command -v ogr2ogr >/dev/null || apt_install gdal-bin || true
	command -v node >/dev/null || apt_install nodejs npm || true
	if [[ $SERVERS == *postgis* ]] && ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
		apt_install postgresql postgis || note "PostGIS could not be installed: postgis peer skipped"
	fi
	if [[ $EXPORT == 1 ]] && ! command -v tippecanoe >/dev/null; then
		if apt-cache policy tippecanoe 2>/dev/null | grep -q 'Candidate: [0-9]'; then
			apt_install tippecanoe || true
		fi
		command -v tippecanoe >/dev/null ||
			note "tippecanoe is not packaged for this Debian release ($(. /etc/os-release && echo "$VERSION_CODENAME")): the export comparison uses GDAL's MVT driver (ogr2ogr -f MVT) and a geojson-vt pyramid walk instead"
	fi
	if [[ ! -d $HERE/peers/node_modules/geojson-vt || ! -d $HERE/peers/node_modules/pg ]]; then
		[[ $INSTALL == 1 ]] && (cd "$HERE/peers" && npm ci --no-audit --no-fund >/dev/null 2>&1)
	fi
	(cd "$HERE/tools" && go build -o "$WORK/benchtool" .)
	(cd "$HERE/peers/fixed" && go build -o "$WORK/fixed" .)
	SEGMAP=""
	if [[ -n ${SEGMAP_BIN:-} ]]; then
		SEGMAP=$SEGMAP_BIN
	elif (cd "$ROOT" && go build -o "$WORK/segmap" ./cmd/segmap) 2>"$WORK/segmap-build.log"; then
		SEGMAP=$WORK/segmap
	else
		note "segmap does not build yet ($(grep -m1 -v '^#' "$WORK/segmap-build.log" | cut -c1-160)): segmap rows are missing"
	fi
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
}

# ---------------------------------------------------------------- layers
# layer_src NAME -> "file|code field|kommun field"
layer_src() {
	case $1 in
	stockholm) echo "$ROOT/testdata/tiles/deso_2018_stockholms_lan_4326_simplified.geojson|id|kommun" ;;
	dalarna) echo "$SHARED/deso_2018_dalarna_3006.gpkg|deso|kommun" ;;
	goteborg) echo "$SHARED/deso_2025_goteborgsregionen_3006.gpkg|desokod|kommunkod" ;;
	*) log "unknown layer $1"; return 1 ;;
	esac
}

prepare_layer() { # NAME: writes $WORK/NAME.geojson (EPSG:4326, code, kommun) and tiles list
	local name=$1 src code kom
	IFS='|' read -r src code kom <<<"$(layer_src "$name")"
	[[ -f $src ]] || { note "$name: $src missing, layer skipped"; return 1; }
	ogr2ogr -f GeoJSON "$WORK/$name.geojson" "$src" -t_srs EPSG:4326 -lco COORDINATE_PRECISION=8 -dialect OGRSQL \
		-sql "SELECT $code AS code, $kom AS kommun FROM \"$(ogrinfo -q -ro "$src" | sed -n 's/^1: \([^ ]*\).*/\1/p')\"" 2>>"$WORK/ogr.log"
	"$WORK/benchtool" tilelist -geojson "$WORK/$name.geojson" -max "$PER_ZOOM" >"$WORK/$name.tiles" &&
		[[ -s $WORK/$name.tiles ]] || { note "$name: no tile list (see ogr2ogr/tilelist errors), layer skipped"; return 1; }
	cp "$WORK/$name.tiles" "$RAW/tiles-$name.txt"
	touch "$RAW/layers.tsv"
	sed -i "/^$name\t/d" "$RAW/layers.tsv"
	printf '%s\t%s\t%s\n' "$name" "$(basename "$src")" "$(grep -c '"Feature"' "$WORK/$name.geojson")" >>"$RAW/layers.tsv"
}

# ---------------------------------------------------------------- servers
wait_http() { # URL PID: up to 180 s
	local i
	for ((i = 0; i < 900; i++)); do
		curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

PG_PORT=$((PORT_BASE + 9))
pg_start() {
	[[ -n $PG_BIN ]] || return 1
	if [[ -z $PG_DATA ]]; then
		PG_DATA=$WORK/pg
		install -d -o postgres -g postgres -m 700 "$PG_DATA"
		runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres >"$WORK/initdb.log" 2>&1
	fi
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -l "$PG_DATA/server.log" \
		-o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c max_connections=40" start >/dev/null
}
pg_stop() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -m fast stop >/dev/null 2>&1 || true; }
PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

pg_load() { # NAME
	local name=$1
	psql -q "$PG_URL" -c 'CREATE EXTENSION IF NOT EXISTS postgis' -c 'DROP TABLE IF EXISTS deso' >/dev/null
	ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" "$WORK/$name.geojson" \
		-nln deso -t_srs EPSG:3857 -nlt PROMOTE_TO_MULTI -lco GEOMETRY_NAME=geom -lco FID=fid 2>>"$WORK/ogr.log"
	psql -q "$PG_URL" -c 'VACUUM ANALYZE deso' >/dev/null
}

# start_server SERVER LAYER PORT -> sets SPID (the pid whose VmHWM is read)
start_server() {
	local server=$1 name=$2 port=$3
	case $server in
	segmap)
		# WARM=0 turns the start-up warm-up (z0–z8) off, to time tile generation from cold.
		"$SEGMAP" serve --addr "127.0.0.1:$port" --store "$WORK/$name.gpkg" $([[ ${WARM:-1} == 0 ]] && echo --warm-max-zoom -1) >"$WORK/$server-$name.log" 2>&1 &
		;;
	geojsonvt)
		node "$HERE/peers/server.mjs" geojsonvt --port "$port" --geojson "$WORK/$name.geojson" --code-field code >"$WORK/$server-$name.log" 2>&1 &
		;;
	postgis)
		node "$HERE/peers/server.mjs" postgis --port "$port" --pg "$PG_URL" --pool 4 >"$WORK/$server-$name.log" 2>&1 &
		;;
	fixed)
		"$WORK/fixed" -addr "127.0.0.1:$port" -file "$WORK/$name.fixed.mvt.gz" >"$WORK/$server-$name.log" 2>&1 &
		;;
	same) # segmap's own answers, path by path, from the bare Go handler
		"$WORK/fixed" -addr "127.0.0.1:$port" -dir "$WORK/$name.same" >"$WORK/$server-$name.log" 2>&1 &
		;;
	esac
	SPID=$!
	PIDS+=("$SPID")
}

stop_server() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

segmap_store() { # NAME: fresh store with the layer imported as level deso
	local name=$1 src code kom
	IFS='|' read -r src code kom <<<"$(layer_src "$name")"
	rm -f "$WORK/$name.gpkg"
	if "$SEGMAP" import boundaries --store "$WORK/$name.gpkg" --level deso --code-field "$code" "$src" >"$WORK/import-$name.log" 2>&1; then
		return 0
	fi
	rm -f "$WORK/$name.gpkg"
	if [[ $name == stockholm ]]; then
		note "segmap import failed for $name ($(tail -1 "$WORK/import-$name.log" | cut -c1-160)): serving the embedded demo store (same Stockholm DeSO layer) instead"
		return 0
	fi
	note "segmap import failed for $name ($(tail -1 "$WORK/import-$name.log" | cut -c1-160)): segmap skipped for $name"
	return 1
}

wait_port() { # PORT PID: until the port accepts connections, up to 180 s
	local i
	for ((i = 0; i < 18000; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.01
	done
	return 1
}

open_pass() { # LAYER: segmap's cold pass started as soon as its port opens,
	# while the start-up warm-up runs (what the first visitors meet)
	local name=$1 port=$((PORT_BASE + 1000 + RANDOM % 1000))
	log "$name-segmap: start on :$port for the cold pass at port-open"
	start_server segmap "$name" "$port"
	if ! wait_port "$port" "$SPID"; then
		note "$name-segmap-open: server did not come up"
		stop_server "$SPID"
		return 0
	fi
	"$WORK/benchtool" cold -base "http://127.0.0.1:$port" -list "$WORK/$name.tiles" -timeout 10m >"$RAW/cold-$name-segmap-open.tsv" ||
		note "$name-segmap-open: cold pass failed"
	grep -q 'tiles warmed' "$WORK/segmap-$name.log" || note "$name-segmap-open: the cold pass ended before the warm-up"
	stop_server "$SPID"
}

bench_server() { # SERVER LAYER
	local server=$1 name=$2 port=$((PORT_BASE + RANDOM % 1000)) c tag
	tag=$name-$server
	case $server in
	segmap) [[ -n $SEGMAP ]] && segmap_store "$name" || return 0 ;;
	postgis)
		[[ -n $PG_BIN && -d $HERE/peers/node_modules/pg ]] || { note "postgis peer skipped (no PostgreSQL or pg module)"; return 0; }
		pg_stop; pg_start # fresh shared buffers for the cold pass
		;;
	fixed) [[ -s $WORK/$name.fixed.mvt.gz ]] || { note "fixed: no sample tile for $name"; return 0; } ;;
	same) [[ -d $WORK/$name.same ]] || { note "same: segmap's tiles of $name were not saved"; return 0; } ;;
	esac
	if [[ $server == segmap && $OPEN_PASS == 1 && ${WARM:-1} != 0 ]]; then open_pass "$name"; fi
	log "$tag: start on :$port"
	start_server "$server" "$name" "$port"
	if ! wait_http "http://127.0.0.1:$port$(head -1 "$WORK/$name.tiles")" "$SPID"; then
		note "$tag: server did not come up ($(tail -1 "$WORK/$server-$name.log" | cut -c1-160))"
		stop_server "$SPID"
		return 0
	fi
	if [[ $server == segmap && ${WARM:-1} != 0 ]]; then
		# Like geojson-vt, which indexes its low zooms before it listens: the
		# cold pass starts once segmap's start-up warm-up has finished.
		for _ in $(seq 120); do grep -q 'tiles warmed' "$WORK/$server-$name.log" && break; sleep 0.5; done
		grep -q 'tiles warmed' "$WORK/$server-$name.log" || note "$tag: warm-up not finished after 60 s"
	fi
	log "$tag: cold pass ($(wc -l <"$WORK/$name.tiles") tiles)"
	local save=()
	[[ $server == segmap ]] && save=(-save "$WORK/$name.same")
	"$WORK/benchtool" cold -base "http://127.0.0.1:$port" -list "$WORK/$name.tiles" -timeout 10m "${save[@]}" >"$RAW/cold-$tag.tsv" ||
		note "$tag: cold pass failed"
	if [[ $server == geojsonvt ]]; then # the ceiling serves a real mid-size z12 tile of this layer
		local p
		p=$(grep '/tiles/deso/12/' "$WORK/$name.tiles" | sed -n '20p')
		curl -fsS -H 'Accept-Encoding: gzip' -o "$WORK/$name.fixed.mvt.gz" "http://127.0.0.1:$port$p" || true
	fi
	for c in $CONNS; do
		log "$tag: wrk c=$c $DURATION"
		timeout 300 wrk -t"$THREADS" -c"$c" -d"$DURATION" --timeout 10s --latency -s "$HERE/wrk-tiles.lua" \
			"http://127.0.0.1:$port" -- "$WORK/$name.tiles" >"$RAW/wrk-$tag-c$c.txt" 2>&1 || note "$tag: wrk c=$c failed"
		if [[ $NOGZIP == 1 && ($server == segmap || $server == geojsonvt) ]]; then
			# a client without gzip (curl, scripts, load tools, some caches)
			log "$tag: wrk c=$c $DURATION, no gzip"
			timeout 300 wrk -t"$THREADS" -c"$c" -d"$DURATION" --timeout 10s --latency -s "$HERE/wrk-tiles.lua" \
				"http://127.0.0.1:$port" -- "$WORK/$name.tiles" identity >"$RAW/wrk-$tag-nogzip-c$c.txt" 2>&1 || note "$tag: wrk c=$c no gzip failed"
		fi
	done
	local rss
	rss=$(hwm_kb "$SPID")
	if [[ $server == postgis ]]; then
		local pm pgsum=0 n=0 q
		pm=$(head -1 "$PG_DATA/postmaster.pid")
		for q in $pm $(pgrep -P "$pm"); do pgsum=$((pgsum + $(hwm_kb "$q"))); n=$((n + 1)); done
		printf '%s\t%s\t%s\n' "$rss" "$pgsum" "$n" >"$RAW/rss-$tag.txt"
	else
		printf '%s\n' "$rss" >"$RAW/rss-$tag.txt"
	fi
	stop_server "$SPID"
}

# ---------------------------------------------------------------- export
timed() { # OUTFILE CMD...: "seconds<TAB>peak KB" of CMD, bounded to 20 min
	local out=$1
	shift
	/usr/bin/time -f '%e\t%M' -o "$out.time" timeout 1200 "$@" >"$out.log" 2>&1
}

pmtiles_count() { # FILE: addressed tiles from the PMTiles v3 header (uint64 LE at byte 72)
	[[ $(head -c 7 "$1") == PMTiles ]] || return 0
	od -An -t u8 -j 72 -N 8 "$1" | tr -d ' '
}

export_layer() { # NAME
	local name=$1 src code kom
	IFS='|' read -r src code kom <<<"$(layer_src "$name")"
	if [[ -n $SEGMAP && ! -s $WORK/$name.gpkg ]]; then segmap_store "$name" || true; fi
	if [[ -n $SEGMAP && -s $WORK/$name.gpkg ]]; then
		log "$name: segmap export"
		rm -f "$WORK/$name.pmtiles"
		if timed "$WORK/exp-segmap-$name" "$SEGMAP" export --store "$WORK/$name.gpkg" --format pmtiles --layer deso --minzoom 0 --maxzoom 14 "$WORK/$name.pmtiles"; then
			printf 'segmap export (pmtiles)\t%s\t%s\t%s\n' "$(cat "$WORK/exp-segmap-$name.time")" "$(stat -c %s "$WORK/$name.pmtiles")" \
				"$(pmtiles_count "$WORK/$name.pmtiles")" >"$RAW/export-$name-segmap.tsv"
		else
			note "$name: segmap export failed ($(tail -1 "$WORK/exp-segmap-$name.log" | cut -c1-160))"
		fi
	fi
	if command -v tippecanoe >/dev/null; then
		log "$name: tippecanoe"
		if timed "$WORK/exp-tc-$name" tippecanoe -q -f -o "$WORK/$name.tc.pmtiles" -Z0 -z14 -l deso "$WORK/$name.geojson"; then
			printf 'tippecanoe -Z0 -z14 (pmtiles)\t%s\t%s\t\n' "$(cat "$WORK/exp-tc-$name.time")" "$(stat -c %s "$WORK/$name.tc.pmtiles")" >"$RAW/export-$name-tippecanoe.tsv"
		fi
	fi
	log "$name: ogr2ogr -f MVT"
	rm -f "$WORK/$name.gdal.mbtiles"
	if timed "$WORK/exp-gdal-$name" ogr2ogr -f MVT "$WORK/$name.gdal.mbtiles" "$WORK/$name.geojson" -nln deso \
		-dsco MINZOOM=0 -dsco MAXZOOM=14 -dsco FORMAT=MBTILES -dsco MAX_SIZE=5000000 -dsco MAX_FEATURES=1000000; then
		printf 'GDAL %s ogr2ogr -f MVT (mbtiles)\t%s\t%s\t%s\n' "$(ogr2ogr --version | awk '{print $2}' | tr -d ,)" \
			"$(cat "$WORK/exp-gdal-$name.time")" "$(stat -c %s "$WORK/$name.gdal.mbtiles")" \
			"$(sqlite3 "$WORK/$name.gdal.mbtiles" 'select count(*) from tiles' 2>/dev/null)" >"$RAW/export-$name-gdal.tsv"
	else
		note "$name: ogr2ogr -f MVT failed ($(tail -1 "$WORK/exp-gdal-$name.log" | cut -c1-160))"
	fi
	if [[ -d $HERE/peers/node_modules/geojson-vt ]]; then
		log "$name: geojson-vt pyramid"
		if timed "$WORK/exp-gvt-$name" node "$HERE/peers/pyramid.mjs" "$WORK/$name.geojson" code 14; then
			local tiles gz
			tiles=$(sed -n 's/.*"tiles":\([0-9]*\).*/\1/p' "$WORK/exp-gvt-$name.log")
			gz=$(sed -n 's/.*"gzip_bytes":\([0-9]*\).*/\1/p' "$WORK/exp-gvt-$name.log")
			printf 'geojson-vt + vt-pbf walk (no archive written)\t%s\t%s\t%s\n' "$(cat "$WORK/exp-gvt-$name.time")" "$gz" "$tiles" >"$RAW/export-$name-geojsonvt.tsv"
		fi
	fi
}

# ---------------------------------------------------------------- main
ensure_tools
{
	echo "date: $(date -u '+%F %T') UTC"
	echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo ' (dirty tree)')"
	echo "go: $(go version | awk '{print $3}')"
	echo "node: $(node --version 2>/dev/null)"
	echo "geojson-vt: $(node -p 'require("'"$HERE"'/peers/node_modules/geojson-vt/package.json").version' 2>/dev/null), vt-pbf: $(node -p 'require("'"$HERE"'/peers/node_modules/vt-pbf/package.json").version' 2>/dev/null), pg: $(node -p 'require("'"$HERE"'/peers/node_modules/pg/package.json").version' 2>/dev/null)"
	echo "postgresql: $([[ -n $PG_BIN ]] && "$PG_BIN/postgres" --version | awk '{print $3}'), postgis: $(sed -n "s/^default_version = '\(.*\)'/\1/p" /usr/share/postgresql/*/extension/postgis.control 2>/dev/null | head -1)"
	echo "wrk: $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $THREADS threads, $DURATION per run, concurrency $CONNS, on the same 2 cores as the server"
	echo "gdal: $(ogr2ogr --version)"
	echo "load average at start (the 2 cores may be shared with other work): $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$RAW/meta.txt"

if [[ $SERVERS == *postgis* && -n $PG_BIN ]]; then pg_start; fi
for name in $LAYERS; do
	prepare_layer "$name" || continue
	if [[ $SERVERS == *postgis* && -n $PG_BIN ]]; then pg_load "$name"; fi
	for server in $SERVERS; do bench_server "$server" "$name"; done
	[[ $EXPORT == 1 ]] && export_layer "$name"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RAW/meta.txt"
"$WORK/benchtool" report -dir "$RAW" >"$OUT"
log "wrote $OUT (raw data in $RAW)"
