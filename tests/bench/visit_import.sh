#!/usr/bin/env bash
# visit_import.sh FC BIGDB DIR BENCHDIR — the visit_during_import figure:
# durable visits of the big database's cards every 50 ms (bench_core
# visit-during) while `forecourt import customers` of all its customers,
# each with another balance (every row changes: the import goes through
# shadow tables), runs on a copy of it; the floor is the same visits just
# before.  Prints one JSON line (microseconds).
set -eu
FC=$1 BIG=$2 D=$3 BENCH=$4
mkdir -p "$D"
rm -f "$D"/vi.db*
[ "$(sqlite3 "$BIG" "PRAGMA wal_checkpoint(TRUNCATE)")" = "0|0|0" ] || { echo "visit_import: $BIG is in use" >&2; exit 1; }
cp "$BIG" "$D/vi.db"
sqlite3 -csv -header "$D/vi.db" "SELECT code, name, nature, industry, tier,
	points_synced + 1 AS points, phone, plate FROM customers ORDER BY id" >"$D/customers.csv"
"$BENCH/bench_core" visit-during visit_during_import "$D/vi.db" 50 200 -- \
	"$FC" --db "$D/vi.db" import customers "$D/customers.csv"
tail -1 "$D/vi.db.job.log" >&2
rm -f "$D"/vi.db*
