#!/usr/bin/env bash
# import.sh FC BIGDB DIR — import figure: the customers of the big database
# as CSV through `forecourt import customers`, against the sqlite3 shell's
# .import of the same file into a table with the same unique index on code.
# The import returns at its switch; the search entries of its customers
# are made after it (issue 17: in the background at a station).  Here, in
# round 1 (ROUND), they are made in the foreground right after, timed
# apart, so they never run under the next measure: import_whole is the
# import and its search entries; in later rounds they are not made (the
# database is thrown away).  Prints one JSON line, two in round 1 (seconds).
set -eu
FC=$1 BIG=$2 D=$3
mkdir -p "$D"
# The CSV, exported from BIG once per size (KEEP: a directory of the size's
# that outlives the rounds, tests/bench/run) and read by both the floor and
# ours in every round: the columns exported are head office's, which no
# per-size step writes (visits write a customer's visit dates and
# stability), so every round's export would be the same file.
CSV=${KEEP:-$D}/import-customers.csv
if [ ! -s "$CSV" ]; then
	COLS="code,name,nature,industry,tier,points_synced AS points,phone,plate"
	sqlite3 -csv -header "$BIG" "SELECT $COLS FROM customers ORDER BY id" >"$CSV.tmp"
	mv "$CSV.tmp" "$CSV"
fi
rows=$(($(wc -l <"$CSV") - 1))

sqlite3 "$D/floor.db" "CREATE TABLE c (code TEXT NOT NULL, name TEXT, nature TEXT, industry TEXT,
  tier TEXT, points INTEGER, phone TEXT, plate TEXT); CREATE UNIQUE INDEX c_code ON c(code);"
t0=$(date +%s%3N)
sqlite3 "$D/floor.db" ".import --csv --skip 1 $CSV c"
t1=$(date +%s%3N)
floor_ms=$((t1 - t0))

"$FC" --db "$D/ours.db" init >/dev/null
head -1 "$CSV" >"$D/none.csv"
t0=$(date +%s%3N)
FORECOURT_SEARCH_INDEX=later "$FC" --db "$D/ours.db" import customers "$CSV" >"$D/import.log" 2>&1 ||
	{ tail -5 "$D/import.log" >&2; exit 1; }
t1=$(date +%s%3N)
whole=0
if [ "${ROUND:-1}" = 1 ]; then
	FORECOURT_SEARCH_INDEX=now "$FC" --db "$D/ours.db" import customers "$D/none.csv" >>"$D/import.log" 2>&1 ||
		{ tail -5 "$D/import.log" >&2; exit 1; }
	[ "$(sqlite3 "$D/ours.db" "SELECT count(*) FROM search_pending")" = 0 ] ||
		{ echo "import: search entries not made" >&2; exit 1; }
	whole=1
fi
t2=$(date +%s%3N)
ours_ms=$((t1 - t0)) index_ms=$((t2 - t1))
got=$(sqlite3 "$D/ours.db" "SELECT count(*) FROM customers")
[ "$got" = "$rows" ] || { echo "import: $got of $rows rows" >&2; exit 1; }
python3 -c "
import json
print(json.dumps({'name':'import','unit':'s','median':$ours_ms/1000,'floor':$floor_ms/1000,'n':$rows}))
if $whole:
    print(json.dumps({'name':'import_whole','unit':'s','median':($ours_ms+$index_ms)/1000,
                      'floor':$floor_ms/1000,'n':$rows,'index_s':$index_ms/1000}))"
