#!/usr/bin/env bash
# kill -9 at random points of imports; after each kill the store must open,
# pass PRAGMA integrity_check, hold exactly the data before OR exactly the
# data after the import (never a partial layer/indicator), and accept the
# next import.
#
#   bash bench/faults/kill9.sh [TRIALS]     (default 24: half indicators, half boundaries)
#
# Then SITE_TRIALS (default 8) site-layer uploads over HTTP (POST /api/sites,
# 5,000 generated sites) are cut by kill -9 of the server: the store must
# hold no layer or the whole layer, and the restarted server must accept
# the next upload.
#
# Env: SEGMAP (binary; built into $FAULTS_WORK when missing), FAULTS_WORK
# (default /tmp/segmap-faults), SEED (random delays; default: $$).
source "$(dirname "$0")/lib.sh"
TRIALS="${1:-24}"
SEED="${SEED:-$$}"
RANDOM=$SEED
build
IND_CSV="$ROOT/testdata/indicators/deso_indicators_2022.csv"
IND_MAP="$ROOT/testdata/indicators/deso_indicators_2022.mapping.yaml"
BND="$ROOT/testdata/boundaries/deso_2018_dalarna_3006.gpkg"
PROBE="$ROOT/testdata/boundaries/lan_okfse_tiny_4326.geojson"
LVL=dalarna

import_cmd() { # KIND STORE
	case $1 in
	indicators) echo "$SEGMAP import indicators --store $2 --mapping $IND_MAP $IND_CSV" ;;
	boundaries) echo "$SEGMAP import boundaries --store $2 --level $LVL --kind custom --level-name-sv Dalarna --level-name-en Dalarna $BND" ;;
	esac
}

# Reference states: before (the base store) and after a complete import.
declare -A AFTER DUR
fresh "$WORK/before.gpkg"
BEFORE=$(fingerprint "$WORK/before.gpkg" $LVL)
for kind in indicators boundaries; do
	fresh "$WORK/after-$kind.gpkg"
	t0=$(date +%s%N)
	$(import_cmd $kind "$WORK/after-$kind.gpkg") >/dev/null 2>&1
	DUR[$kind]=$((($(date +%s%N) - t0) / 1000000))
	AFTER[$kind]=$(fingerprint "$WORK/after-$kind.gpkg" $LVL)
	if [ "${AFTER[$kind]}" = "$BEFORE" ]; then
		echo "kill9: a complete $kind import changed nothing; the test could not tell states apart" >&2
		exit 1
	fi
	echo "kill9: reference $kind import takes ${DUR[$kind]} ms"
done

fail=0
declare -A OUT=([before]=0 [after]=0)
for ((i = 1; i <= TRIALS; i++)); do
	kind=indicators
	((i % 2 == 0)) && kind=boundaries
	s="$WORK/trial.gpkg"
	fresh "$s"
	# random delay in [0, 1.1 x the import's duration)
	delay=$((RANDOM * 32768 + RANDOM))
	delay=$((delay % (DUR[$kind] * 11 / 10 + 1)))
	$(import_cmd $kind "$s") >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	killed=no
	if kill -9 "$pid" 2>/dev/null; then killed=yes; fi
	wait "$pid" 2>/dev/null || true
	leftovers=$(ls "$s"-wal "$s"-journal 2>/dev/null | xargs -r -n1 basename | tr "\n" " " || true)
	ic=$(integrity "$s")
	fp=$(fingerprint "$s" $LVL)
	state=PARTIAL
	[ "$fp" = "$BEFORE" ] && state=before
	[ "$fp" = "${AFTER[$kind]}" ] && state=after
	# the next import must work on the recovered store
	probe=ok
	"$SEGMAP" import boundaries --store "$s" --level probe --kind overlay --level-name-sv Probe --level-name-en Probe "$PROBE" >/dev/null 2>&1 || probe=FAILED
	[ "$probe" = ok ] && [ "$(sqlite3 "$s" 'SELECT count(*) > 0 FROM probe')" = 1 ] || probe=FAILED
	ic2=$(integrity "$s")
	printf 'trial %2d %-10s kill after %5d ms (killed: %-3s) leftovers: %-12s integrity: %s state: %-7s next import: %s %s\n' \
		"$i" "$kind" "$delay" "$killed" "${leftovers:-none}" "$ic" "$state" "$probe" "$([ "$ic2" = ok ] || echo "integrity after probe: $ic2")"
	if [ "$ic" != ok ] || [ "$ic2" != ok ] || [ "$state" = PARTIAL ] || [ "$probe" != ok ]; then
		fail=$((fail + 1))
		diff <(echo "$BEFORE") <(echo "$fp") | sed 's/^/    before vs now: /' | head -20 || true
	else
		OUT[$state]=$((OUT[$state] + 1))
	fi
done
echo "kill9: $TRIALS trials (seed $SEED): ${OUT[before]} rolled back to before, ${OUT[after]} complete after, $fail failures"

# --- site-layer uploads over HTTP ---------------------------------------
SITE_TRIALS="${SITE_TRIALS:-8}"
if [ "$SITE_TRIALS" -gt 0 ]; then
	need curl
	export SEGMAP_API_TOKEN="kill9-site-token-0123456789"
	SITES="$WORK/sites-5000.geojson"
	NSITES=5000
	# 5,000 small squares over Botkyrka (WGS 84), each with the site attributes.
	awk -v n=$NSITES 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":[";
		for (i = 0; i < n; i++) { x = 17.80 + (i % 100) * 0.001; y = 59.20 + int(i / 100) * 0.0008;
			printf "%s{\"type\":\"Feature\",\"properties\":{\"namn\":\"Hus %d\",\"bostader\":%d,\"upplatelseform\":\"hyresrätt\",\"ar\":2030},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]}}",
				(i ? "," : ""), i, 10 + i % 40, x, y, x + 0.0005, y, x + 0.0005, y + 0.0004, x, y + 0.0004, x, y }
		print "]}" }' > "$SITES"
	site_state() { sqlite3 "$1" "SELECT (SELECT count(*) FROM segmap_site_layers) || ':' || (SELECT count(*) FROM segmap_sites)"; }
	serve_bg() { # STORE PORT -> pid in SERVER_PID
		"$SEGMAP" serve --addr "127.0.0.1:$2" --store "$1" >"$WORK/serve.log" 2>&1 &
		SERVER_PID=$!
		for ((w = 0; w < 100; w++)); do
			curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return 0
			sleep 0.1
		done
		echo "kill9: the server did not start" >&2
		cat "$WORK/serve.log" >&2
		return 1
	}
	upload() { # PORT FILE -> HTTP status
		curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SEGMAP_API_TOKEN" \
			-F "file=@$2;filename=$(basename "$2")" -F name=kill9 "http://127.0.0.1:$1/api/sites" || true
	}
	port=$((20000 + RANDOM % 20000))
	s="$WORK/site-ref.gpkg"
	fresh "$s"
	serve_bg "$s" $port
	t0=$(date +%s%N)
	code=$(upload $port "$SITES")
	SDUR=$((($(date +%s%N) - t0) / 1000000))
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
	if [ "$code" != 201 ] || [ "$(site_state "$s")" != "1:$NSITES" ]; then
		echo "kill9: reference site upload failed (HTTP $code, state $(site_state "$s"))" >&2
		exit 1
	fi
	echo "kill9: reference site upload ($NSITES sites, $(du -k "$SITES" | cut -f1) KB) takes $SDUR ms"
	sfail=0
	declare -A SOUT=([before]=0 [after]=0)
	for ((i = 1; i <= SITE_TRIALS; i++)); do
		s="$WORK/site-trial.gpkg"
		fresh "$s"
		port=$((20000 + RANDOM % 20000))
		serve_bg "$s" $port
		delay=$((RANDOM * 32768 + RANDOM))
		delay=$((delay % (SDUR * 11 / 10 + 1)))
		upload $port "$SITES" >/dev/null &
		cpid=$!
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		killed=no
		if kill -9 "$SERVER_PID" 2>/dev/null; then killed=yes; fi
		wait "$SERVER_PID" 2>/dev/null || true
		wait "$cpid" 2>/dev/null || true
		ic=$(integrity "$s")
		st=$(site_state "$s")
		state=PARTIAL
		[ "$st" = "0:0" ] && state=before
		[ "$st" = "1:$NSITES" ] && state=after
		# the restarted server accepts the next upload
		serve_bg "$s" $port
		next=$(upload $port "$ROOT/testdata/sites/botkyrka_planerat_3006.geojson")
		kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
		printf 'site trial %2d kill after %5d ms (killed: %-3s) integrity: %s layers:sites %-8s state: %-7s next upload: HTTP %s\n' \
			"$i" "$delay" "$killed" "$ic" "$st" "$state" "$next"
		if [ "$ic" != ok ] || [ "$state" = PARTIAL ] || [ "$next" != 201 ]; then
			sfail=$((sfail + 1))
		else
			SOUT[$state]=$((SOUT[$state] + 1))
		fi
	done
	echo "kill9: $SITE_TRIALS site-upload trials: ${SOUT[before]} no layer, ${SOUT[after]} whole layer, $sfail failures"
	fail=$((fail + sfail))
fi
[ "$fail" -eq 0 ]
