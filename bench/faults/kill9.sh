#!/usr/bin/env bash
# kill -9 at random points of imports; after each kill the store must open,
# pass PRAGMA integrity_check, hold exactly the data before OR exactly the
# data after the import (never a partial layer/indicator), and accept the
# next import.
#
#   bash bench/faults/kill9.sh [TRIALS]     (default 24: half indicators, half boundaries)
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
[ "$fail" -eq 0 ]
