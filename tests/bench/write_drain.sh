#!/usr/bin/env bash
# write_drain.sh — write_drain figure: a kiosk's visit writes (one
# transaction every 20 ms, BEGIN IMMEDIATE to COMMIT, tests/tools/outbox_fill
# --pace-ms) while `forecourt sync --daemon` drains a backlog
# (BENCH_WRITE_BACKLOG, default 100 000 records) to the test receiver,
# against the same writes with no uploader running as the floor.  The scene
# of tests/integration/upload_outage.sh, timed.  Prints one JSON line (ms).
# Needs FORECOURT_BIN, FORECOURT_BUILD (tests/bench/run sets them).
: "${FORECOURT_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$FORECOURT_SRC/tests/integration/upload_lib.sh"
BACKLOG=${BENCH_WRITE_BACKLOG:-100000}
WRITES=${BENCH_WRITES:-200}

rx_start
write_conf "$RX_PORT"
fc init >/dev/null || fail "init"
fill "$BACKLOG" --customers 500
writes() { # out-file: WRITES paced visits, their latency line
	"$FORECOURT_BUILD/tests/tools/outbox_fill" "$DB" "$WRITES" --per-tx 1 --pace-ms 20 >"$1" 2>/dev/null ||
		fail "outbox_fill: $(cat "$1")"
}
writes "$T/floor.txt"
start=$(date +%s%3N)
sync_bg "$T/sync.log"
writes "$T/ours.txt"
writes_ms=$(($(date +%s%3N) - start))
left=$(pending) # still to send when the writes were done: they overlapped the drain
wait_for 600 pending_is 0 || fail "not drained: $(pending) pending; $(tail -2 "$T/sync.log")"
drain_ms=$(($(date +%s%3N) - start))
kill -TERM "$SYNC_PID"
wait "$SYNC_PID" || fail "sync exit status $?"

"$PY" - "$T/ours.txt" "$T/floor.txt" "$writes_ms" "$drain_ms" "$left" "$BACKLOG" <<'EOF'
import json, re, sys
def lat(path):
    m = re.search(r"latency ms: max (\S+) p50 (\S+) p99 (\S+)", open(path).read())
    return [float(x) for x in m.groups()]
(omax, o50, o99), (fmax, f50, f99) = lat(sys.argv[1]), lat(sys.argv[2])
print(json.dumps({"name": "write_drain", "unit": "ms", "median": o50, "p99": o99, "worst": omax,
                  "floor": f50, "floor_p99": f99, "floor_worst": fmax,
                  "writes_ms": int(sys.argv[3]), "drain_ms": int(sys.argv[4]),
                  "pending_after_writes": int(sys.argv[5]), "backlog": int(sys.argv[6])}))
EOF
