#!/usr/bin/env bash
# hq.sh — head office figures on a private PostgreSQL (tests/hq_lib.sh):
#  hq_ingest: records/s from BENCH_HQ_STATIONS (200) simulated stations
#    posting BENCH_HQ_BATCHES (2) batches of 500 real visit records each at
#    once, against the floor: COPY of the same rows into the same tables
#    (records, visits, points_ledger: same unique indexes), same run.
#  hq_master: a full master pull of BENCH_HQ_CUSTOMERS (1 000 000) customers
#    (GET /v1/master?since=0, every line), against COPY customers TO STDOUT.
# Prints two JSON lines.  Needs FORECOURT_BIN (the station binary: lib.sh).
: "${FORECOURT_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$FORECOURT_SRC/tests/lib.sh"
. "$FORECOURT_SRC/tests/hq_lib.sh"
STATIONS=${BENCH_HQ_STATIONS:-200}
BATCHES=${BENCH_HQ_BATCHES:-2}
SIZE=500
CUSTOMERS=${BENCH_HQ_CUSTOMERS:-1000000}
PY=$(command -v /usr/bin/python3 || command -v python3)
ms() { date +%s%3N; }

pg_start
PORT=$(free_port)
hq_conf "$PORT" "[limits]" "master_page = 10000000" "batch_max = 1000"
sed -i 's/^timeout_s = .*/timeout_s = 600/' "$T/hq.conf"
hq init >/dev/null || fail "init"
# stations with tokens: the hash is BLAKE2b-256 of the token, as forecourt-hq keeps it
"$PY" - "$STATIONS" "$T/tokens" "$T/stations.csv" <<'PY'
import hashlib, secrets, sys
n = int(sys.argv[1])
with open(sys.argv[2], "w") as t, open(sys.argv[3], "w") as c:
    for i in range(1, n + 1):
        tok = secrets.token_hex(32)
        t.write("B%04d %s\n" % (i, tok))
        c.write("B%04d,Bench %d,%s\n" % (i, i, hashlib.blake2b(tok.encode(), digest_size=32).hexdigest()))
PY
chmod 644 "$T/stations.csv"
psql_q "\\copy stations(id, name, token_hash) FROM '$T/stations.csv' CSV" >/dev/null || fail "stations"
psql_q "INSERT INTO customers(code, name, nature, tier, phone, version)
	SELECT 'C' || lpad(i::text, 5, '0'), 'Customer ' || i, 'individual', 'ordinary',
	       '138' || lpad(i::text, 8, '0'), nextval('master_version_seq')
	FROM generate_series(1, 99999) i" >/dev/null || fail "customers"
# The load is what hq_load.py makes of its arguments (its record ids are
# random, and any are as good): kept in BENCH_CACHE (when set) under a name
# made of its source's hash and its arguments, made there once, under a
# lock, and copied (not counted in any figure; 6 s of CPU saved a run).
make_load() {
	"$PY" "$FORECOURT_SRC/tests/bench/hq_load.py" make "$1" "$STATIONS" "$BATCHES" "$SIZE" 99999
}
if [ -n "${BENCH_CACHE:-}" ] && [ -d "$BENCH_CACHE" ]; then
	load_id=$(sha256sum <"$FORECOURT_SRC/tests/bench/hq_load.py" | cut -c1-12)
	kept="$BENCH_CACHE/hq-load-$load_id-$STATIONS-$BATCHES-$SIZE-99999"
	(
		flock 9
		[ -f "$kept/done" ] || {
			rm -rf "$kept" "$kept.tmp" && mkdir -p "$kept.tmp" && make_load "$kept.tmp" &&
				touch "$kept.tmp/done" && mv "$kept.tmp" "$kept"
		}
	) 9>"$BENCH_CACHE/.hq-load.lock" || fail "making the load"
	cp -r "$kept" "$T/load" || fail "copying the load"
else
	mkdir -p "$T/load" && make_load "$T/load" || fail "making the load"
fi
chmod 755 "$T/load" "$T/load/bodies"
chmod 644 "$T/load"/*.csv
records=$((STATIONS * BATCHES * SIZE))
pg() { as_user psql -h "$PG_SOCK" -U "$HQ_USER" -d forecourt -Xq -v ON_ERROR_STOP=1 \
	-c "SET client_min_messages = warning" "$@"; }
reset_records() {
	pg -c "TRUNCATE records, seen_seqs, rejected CASCADE" \
		-c "UPDATE stations SET station_seq = 0, max_seq = 0, records = 0, rejected = 0" \
		-c "VACUUM ANALYZE records" -c "VACUUM ANALYZE visits" -c "VACUUM ANALYZE points_ledger" ||
		fail "reset"
}

# floor and ours, interleaved: floor, ours, floor, ours
floor_rates=() our_rates=()
hq_serve
for round in 1 2; do
	reset_records
	t0=$(ms)
	pg -c "\\copy records(id, station, seq, type, created_at, staff, data) FROM '$T/load/records.csv' CSV" \
		-c "\\copy visits(record_id, station, created_at, customer_code, card, pump, grade, volume_ml, amount_fen, price_fen_per_litre, discount_fen, points_earned, won_back, tier) FROM '$T/load/visits.csv' CSV" \
		-c "\\copy points_ledger(record_id, customer_code, station, seq, delta, created_at) FROM '$T/load/ledger.csv' CSV" ||
		fail "floor COPY"
	t1=$(ms)
	floor_rates+=("$(( records * 1000 / (t1 - t0 + 1) ))")
	reset_records
	out=$("$PY" "$FORECOURT_SRC/tests/bench/hq_load.py" post "$T/load" "http://127.0.0.1:$PORT" "$T/tokens") ||
		fail "posting: $out $(tail -3 "$T/hq.log")"
	set -- $out
	[ "$1" = "$records" ] || fail "accepted $1 of $records"
	[ "$(psql_q "SELECT count(*) FROM visits")" = "$records" ] || fail "visits in PostgreSQL"
	our_rates+=("$("$PY" -c "print(int($1 / $2))")")
done
"$PY" - "${floor_rates[*]}" "${our_rates[*]}" "$records" "$STATIONS" <<'PY'
import json, statistics, sys
floor = [int(x) for x in sys.argv[1].split()]
ours = [int(x) for x in sys.argv[2].split()]
print(json.dumps({"name": "hq_ingest", "unit": "rec/s", "median": statistics.median(ours),
                  "floor": statistics.median(floor), "n": int(sys.argv[3]),
                  "stations": int(sys.argv[4]), "runs": ours, "floor_runs": floor}))
PY

# hq_master: a full pull of CUSTOMERS customers
pg -c "TRUNCATE cards, tiers, customers CASCADE" -c "
	INSERT INTO customers(code, name, nature, industry, tier, phone, plate, version)
	SELECT 'M' || lpad(i::text, 7, '0'), '客户 ' || i, CASE WHEN i % 10 = 0 THEN 'big' ELSE 'individual' END,
	       'other', 'ordinary', '139' || lpad(i::text, 8, '0'), '京A' || lpad((i % 100000)::text, 5, '0'),
	       nextval('master_version_seq') FROM generate_series(1, $CUSTOMERS) i" \
	-c "VACUUM ANALYZE customers" >/dev/null || fail "master customers"
tok=$(sed -n 's/^B0001 //p' "$T/tokens")
master_ours=() master_floor=()
for round in 1 2; do
	t0=$(ms)
	as_user psql -h "$PG_SOCK" -U "$HQ_USER" -d forecourt -Xq -c "COPY customers TO STDOUT" | wc -l >"$T/floor.count"
	t1=$(ms)
	master_floor+=("$((t1 - t0))")
	t0=$(ms)
	curl -sf -H "Authorization: Bearer $tok" -H "X-Station-Id: B0001" \
		"http://127.0.0.1:$PORT/v1/master?since=0&limit=$CUSTOMERS" | wc -l >"$T/ours.count"
	t1=$(ms)
	master_ours+=("$((t1 - t0))")
	[ "$(cat "$T/ours.count")" = "$((CUSTOMERS + 1))" ] ||
		fail "master pull gave $(cat "$T/ours.count") lines, not $((CUSTOMERS + 1))"
done
"$PY" - "${master_floor[*]}" "${master_ours[*]}" "$CUSTOMERS" <<'PY'
import json, statistics, sys
floor = [int(x) / 1000 for x in sys.argv[1].split()]
ours = [int(x) / 1000 for x in sys.argv[2].split()]
print(json.dumps({"name": "hq_master", "unit": "s", "median": statistics.median(ours),
                  "floor": statistics.median(floor), "n": int(sys.argv[3]), "runs": ours,
                  "floor_runs": floor}))
PY
