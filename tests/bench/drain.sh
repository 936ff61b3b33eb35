#!/usr/bin/env bash
# drain.sh FC TOOLS DIR — outbox drain figure: 100 000 pending records to the
# test receiver on loopback through `forecourt sync --once`, against the same
# NDJSON bytes posted by curl in the same batch sizes (one connection).
# Prints one JSON line: throughput in records/s (median of BENCH_DRAIN_ROUNDS
# rounds, default 5; make bench runs BENCH_ROUNDS), each round's ratio in "ratios".
set -eu
FC=$1 TOOLS=$2 D=$3
RECORDS=${BENCH_DRAIN_RECORDS:-100000}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
# The receiver with Nagle off (default) or tests/tools/hq_receiver.py as it is.
RECEIVER=${BENCH_DRAIN_RECEIVER:-$SRC/tests/bench/receiver_nodelay.py}
mkdir -p "$D"
printf 'bench-token\n' >"$D/token"; chmod 600 "$D/token"

receiver() { # store -> port on stdout; pid in $D/$1.pid
	rm -f "$D/$1.port"
	python3 "$RECEIVER" --store "$D/$1.sqlite" --token bench-token \
		>"$D/$1.port" 2>"$D/$1.log" &
	echo $! >"$D/$1.pid"
	for _ in $(seq 500); do [ -s "$D/$1.port" ] && break; sleep 0.01; done
	head -1 "$D/$1.port"
}

"$FC" --db "$D/template.db" init >/dev/null
"$TOOLS/outbox_fill" "$D/template.db" "$RECORDS" >/dev/null
sqlite3 "$D/template.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

# Floor: the same payloads, batches of 500, posted by one curl (keep-alive).
mkdir -p "$D/batches"
sqlite3 "$D/template.db" "SELECT payload FROM outbox ORDER BY seq" | split -l 500 -d -a 4 - "$D/batches/b"
curl_config() { # port -> $D/curl.cfg
	: >"$D/curl.cfg"
	local first=1 f
	for f in "$D"/batches/b*; do
		[ $first = 1 ] || echo "next" >>"$D/curl.cfg"
		first=0
		cat >>"$D/curl.cfg" <<CFG
url = "http://127.0.0.1:$1/v1/records"
header = "Authorization: Bearer bench-token"
header = "Content-Type: application/x-ndjson"
header = "X-Station-Id: S0001"
header = "Idempotency-Key: $(basename "$f")"
data-binary = "@$f"
output = "/dev/null"
silent
CFG
	done
}

# BENCH_DRAIN_ROUNDS rounds (default 5), floor then ours, each against a fresh receiver
# and a fresh copy of the station database; the figure is the median.
floors=() ours=()
for round in $(seq "${BENCH_DRAIN_ROUNDS:-5}"); do
	rm -f "$D"/floor.sqlite* "$D"/ours.sqlite* "$D"/st.db*
	port=$(receiver floor)
	curl_config "$port"
	t0=$(date +%s%3N)
	curl -K "$D/curl.cfg" >/dev/null
	t1=$(date +%s%3N)
	kill "$(cat "$D/floor.pid")" 2>/dev/null || true
	floors+=($((t1 - t0)))

	cp "$D/template.db" "$D/st.db"
	port=$(receiver ours)
	cat >"$D/fc.conf" <<CONF
[station]
id = S0001
[upload]
url = http://127.0.0.1:$port
token_file = $D/token
batch_max = 500
CONF
	t0=$(date +%s%3N)
	"$FC" --config "$D/fc.conf" --db "$D/st.db" sync --once >"$D/sync.log" 2>&1 || { cat "$D/sync.log" >&2; exit 1; }
	t1=$(date +%s%3N)
	ours+=($((t1 - t0)))
	left=$(sqlite3 "$D/st.db" "SELECT count(*) FROM outbox WHERE state='pending'")
	got=$(curl -s "http://127.0.0.1:$port/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["distinct"])')
	kill "$(cat "$D/ours.pid")" 2>/dev/null || true
	[ "$left" = 0 ] || { echo "drain: $left records still pending" >&2; exit 1; }
	[ "$got" = "$RECORDS" ] || { echo "drain: the receiver got $got of $RECORDS records" >&2; exit 1; }
done
python3 -c "
import json, statistics
ours, floors = [$(IFS=,; echo "${ours[*]}")], [$(IFS=,; echo "${floors[*]}")]
o, f = statistics.median(ours), statistics.median(floors)
print(json.dumps({'name':'outbox_drain','unit':'rec/s','median':$RECORDS*1000/o,
 'floor':$RECORDS*1000/f,'n':$RECORDS,'ours_ms':ours,'floor_ms':floors,
 'ratios':[fl / o for o, fl in zip(ours, floors)]}))"
