# Shared helpers of the fault scripts (sourced, not run).
# Every loop is bounded; everything runs on local files and loopback.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${FAULTS_WORK:-/tmp/segmap-faults}"
SEGMAP="${SEGMAP:-$WORK/segmap}"
mkdir -p "$WORK"

need() { command -v "$1" >/dev/null || { echo "faults: $1 is required" >&2; exit 2; }; }
need sqlite3

build() {
	if [ ! -x "$SEGMAP" ]; then
		echo "faults: building $SEGMAP"
		(cd "$ROOT" && go build -o "$SEGMAP" ./cmd/segmap)
	fi
	if [ ! -f "$WORK/base.gpkg" ]; then
		echo "faults: building the demo store $WORK/base.gpkg"
		"$SEGMAP" demo "$WORK/base.gpkg" >/dev/null
		# fold the WAL into the main file so a plain cp copies everything
		sqlite3 "$WORK/base.gpkg" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
	fi
}

# fresh DEST: a copy of the base store with no WAL/journal left over.
fresh() {
	rm -f "$1" "$1-wal" "$1-shm" "$1-journal"
	cp "$WORK/base.gpkg" "$1"
}

# fingerprint STORE CUSTOMLEVEL: one line per property that an import may
# change. Two stores with the same fingerprint hold the same data.
fingerprint() {
	local s=$1 lvl=$2
	sqlite3 "$s" "SELECT 'data_version=' || value FROM segmap_meta WHERE key='data_version';
		SELECT 'imports=' || count(*) FROM segmap_imports;
		SELECT 'contents=' || group_concat(table_name) FROM (SELECT table_name FROM gpkg_contents ORDER BY 1);
		SELECT 'geomcols=' || group_concat(table_name) FROM (SELECT table_name FROM gpkg_geometry_columns ORDER BY 1);
		SELECT 'levels=' || group_concat(id) FROM (SELECT id FROM segmap_levels ORDER BY 1);
		SELECT 'indicators=' || group_concat(id) FROM (SELECT id FROM segmap_indicators ORDER BY 1);
		SELECT 'tables=' || group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1);"
	echo "values_md5=$(sqlite3 "$s" 'SELECT * FROM segmap_values ORDER BY level, code, indicator, year, breakdown' | md5sum | cut -c1-32)"
	echo "areas_md5=$(sqlite3 "$s" 'SELECT * FROM segmap_areas ORDER BY level, code' | md5sum | cut -c1-32)"
	if [ -n "$(sqlite3 "$s" "SELECT name FROM sqlite_master WHERE type='table' AND name='$lvl'")" ]; then
		echo "$lvl=$(sqlite3 "$s" "SELECT count(*) || ':' || total(length(geom)) FROM \"$lvl\"")"
		echo "rtree_$lvl=$(sqlite3 "$s" "SELECT count(*) FROM \"rtree_${lvl}_geom\"")"
	fi
}

integrity() { sqlite3 "$1" 'PRAGMA integrity_check;' 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
