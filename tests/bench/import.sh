#!/usr/bin/env bash
# import.sh FC BIGDB DIR — import figure: the customers of the big database
# as CSV through `forecourt import customers`, against the sqlite3 shell's
# .import of the same file into a table with the same unique index on code.
# Prints one JSON line (seconds).
set -eu
FC=$1 BIG=$2 D=$3
mkdir -p "$D"
COLS="code,name,nature,industry,tier,points_synced AS points,phone,plate"
sqlite3 -csv -header "$BIG" "SELECT $COLS FROM customers ORDER BY id" >"$D/customers.csv"
rows=$(($(wc -l <"$D/customers.csv") - 1))

sqlite3 "$D/floor.db" "CREATE TABLE c (code TEXT NOT NULL, name TEXT, nature TEXT, industry TEXT,
  tier TEXT, points INTEGER, phone TEXT, plate TEXT); CREATE UNIQUE INDEX c_code ON c(code);"
t0=$(date +%s%3N)
sqlite3 "$D/floor.db" ".import --csv --skip 1 $D/customers.csv c"
t1=$(date +%s%3N)
floor_ms=$((t1 - t0))

"$FC" --db "$D/ours.db" init >/dev/null
t0=$(date +%s%3N)
"$FC" --db "$D/ours.db" import customers "$D/customers.csv" >"$D/import.log" 2>&1 || { tail -5 "$D/import.log" >&2; exit 1; }
t1=$(date +%s%3N)
ours_ms=$((t1 - t0))
got=$(sqlite3 "$D/ours.db" "SELECT count(*) FROM customers")
[ "$got" = "$rows" ] || { echo "import: $got of $rows rows" >&2; exit 1; }
python3 -c "
import json
print(json.dumps({'name':'import','unit':'s','median':$ours_ms/1000,'floor':$floor_ms/1000,'n':$rows}))"
