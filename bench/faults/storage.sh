#!/usr/bin/env bash
# Read-only store and disk full: the server keeps serving what it has, an
# import fails with a clear error and the store is left intact.
#
#   bash bench/faults/storage.sh
#
# Read-only: the store is chmod 444 in a chmod 555 folder and segmap runs as
# nobody (root ignores file modes). Disk full: the store is copied onto a
# small tmpfs (needs root and mount permission; skipped with a note if not)
# whose free space is then filled. Servers listen on 127.0.0.1 only and are
# stopped by pid.
source "$(dirname "$0")/lib.sh"
build
IND_CSV="$ROOT/testdata/indicators/deso_indicators_2022.csv"
IND_MAP="$ROOT/testdata/indicators/deso_indicators_2022.mapping.yaml"
fail=0
SERVER=

stop_server() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; SERVER=; return 0; }
trap 'stop_server; mountpoint -q "$WORK/fullfs" && umount "$WORK/fullfs"; true' EXIT

# serve AS STORE PORT: start segmap serve (as user AS: root|nobody) and wait for /readyz (max 30 s)
serve() {
	local as=$1 store=$2 port=$3 pre=()
	[ "$as" = nobody ] && pre=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp XDG_CACHE_HOME=/tmp)
	"${pre[@]}" "$SEGMAP" serve --addr "127.0.0.1:$port" --store "$store" >"$WORK/serve-$port.log" 2>&1 &
	SERVER=$!
	for _ in $(seq 1 60); do
		curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" && return 0
		sleep 0.5
	done
	echo "server on $port did not become ready:"; cat "$WORK/serve-$port.log"; return 1
}

# check_serving PORT: the API, a tile and the client answer 200
check_serving() {
	local port=$1 u code bad=0
	for u in /readyz "/api/values?level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0180" \
		"/api/classify?level=deso&indicator=low_econ_standard_pct&year=2022&method=quantile&k=5" \
		/tiles/deso/12/2252/1203.mvt /tiles/kommun/8/140/75.mvt "/api/areas/deso/0180C1010/profile"; do
		code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$u")
		echo "    GET $u -> $code"
		[ "$code" = 200 ] || bad=1
	done
	return $bad
}

echo "== read-only store (chmod 444, folder 555, segmap as nobody)"
RO="$WORK/ro"
chmod -R u+w "$RO" 2>/dev/null || true
rm -rf "$RO" && mkdir -p "$RO"
fresh "$RO/store.gpkg"
before=$(fingerprint "$RO/store.gpkg" none)
chmod 444 "$RO/store.gpkg" && chmod 555 "$RO"
if serve nobody "$RO/store.gpkg" 18091 && check_serving 18091; then
	echo "  serve: ok (serves a read-only store)"
else
	echo "  serve: FAILED"; fail=1
fi
msg=$(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp "$SEGMAP" import indicators --store "$RO/store.gpkg" --mapping "$IND_MAP" "$IND_CSV" 2>&1 >/dev/null) && rc=0 || rc=$?
echo "  import into the read-only store: exit $rc: $(echo "$msg" | tail -1)"
[ "$rc" -ne 0 ] || { echo "  import: FAILED (succeeded on a read-only store)"; fail=1; }
check_serving 18091 >/dev/null && echo "  serve after the failed import: ok" || { echo "  serve after the failed import: FAILED"; fail=1; }
stop_server
chmod 755 "$RO"
[ "$(fingerprint "$RO/store.gpkg" none)" = "$before" ] && echo "  store unchanged: ok" || { echo "  store changed: FAILED"; fail=1; }

echo "== disk full (tmpfs)"
FS="$WORK/fullfs"
mkdir -p "$FS"
size_kb=$(($(stat -c %s "$WORK/base.gpkg") / 1024 + 3072))
if ! mount -t tmpfs -o "size=${size_kb}k" tmpfs "$FS" 2>/dev/null; then
	echo "  SKIPPED: cannot mount a tmpfs here (needs root and mount permission)"
else
	fresh "$FS/store.gpkg"
	before=$(fingerprint "$FS/store.gpkg" none)
	if serve root "$FS/store.gpkg" 18092 && check_serving 18092 >/dev/null; then echo "  serve: ok"; else echo "  serve: FAILED"; fail=1; fi
	# leave ~64 KiB free
	free_kb=$(df -k --output=avail "$FS" | tail -1)
	dd if=/dev/zero of="$FS/filler" bs=1k count=$((free_kb > 64 ? free_kb - 64 : 0)) 2>/dev/null || true
	echo "  free space left: $(df -k --output=avail "$FS" | tail -1) KiB"
	msg=$("$SEGMAP" import indicators --store "$FS/store.gpkg" --mapping "$IND_MAP" "$IND_CSV" 2>&1 >/dev/null) && rc=0 || rc=$?
	echo "  import on a full disk: exit $rc: $(echo "$msg" | tail -1)"
	[ "$rc" -ne 0 ] || { echo "  import: FAILED (succeeded on a full disk?)"; fail=1; }
	check_serving 18092 && echo "  serve after the failed import: ok" || { echo "  serve after the failed import: FAILED"; fail=1; }
	stop_server
	rm -f "$FS/filler"
	ic=$(integrity "$FS/store.gpkg")
	[ "$ic" = ok ] && [ "$(fingerprint "$FS/store.gpkg" none)" = "$before" ] && echo "  store intact (integrity ok, data unchanged): ok" || { echo "  store after disk full: integrity=$ic FAILED"; fail=1; }
	umount "$FS"
fi
echo "storage faults: $([ $fail -eq 0 ] && echo all survived || echo FAILURES)"
[ $fail -eq 0 ]
