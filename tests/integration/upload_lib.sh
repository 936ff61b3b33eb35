# tests/integration/upload_lib.sh — helpers of the upload_*.sh tests (not a
# test itself: not executable).  Source after nothing: it sources lib.sh.
# Gives: rx_start/rx_stop (the receiver of tests/tools/hq_receiver.py on
# loopback), rx_stat KEY, rx_ctl QUERY, write_conf, fc, pending, fill.
. "$(dirname "$0")/../lib.sh"

TOKEN=test-token-$$
# The system interpreter: a version-manager shim can take 0.5 s to start.
PY=$(command -v /usr/bin/python3 || command -v python3)
RX_PID= RX_PORT=
printf '%s\n' "$TOKEN" >"$T/token"
chmod 600 "$T/token"
DB=$T/s.db

_upload_cleanup() {
	[ -n "$RX_PID" ] && kill -9 "$RX_PID" 2>/dev/null
	_cleanup
}
trap _upload_cleanup EXIT

# rx_start [receiver args]: start the receiver (store $T/hq.db); sets RX_PORT.
rx_start() {
	rm -f "$T/rx.port"
	"$PY" "$FORECOURT_SRC/tests/tools/hq_receiver.py" --store "$T/hq.db" \
		--token "$TOKEN" "$@" >"$T/rx.port" 2>>"$T/rx.log" &
	RX_PID=$!
	wait_for 20 test -s "$T/rx.port" || fail "receiver did not start: $(cat "$T/rx.log")"
	RX_PORT=$(cat "$T/rx.port")
	RX_URL=http://127.0.0.1:$RX_PORT
	case " $* " in *" --tls "*) RX_URL=https://127.0.0.1:$RX_PORT ;; esac
}
rx_stop() {
	[ -n "$RX_PID" ] && kill "$RX_PID" 2>/dev/null && wait "$RX_PID" 2>/dev/null
	RX_PID=
}
# rx_stat KEY: one counter of GET /stats.
rx_stat() {
	curl -sfk "$RX_URL/stats" | sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p"
}
# rx_json KEY: one value of GET /stats as JSON ("faults", "points").
rx_json() {
	curl -sfk "$RX_URL/stats" |
		"$PY" -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print(json.dumps(v) if isinstance(v,dict) else v)' "$1"
}
rx_ctl() { curl -sfk "$RX_URL/control?$1" >/dev/null || fail "control $1"; }

# write_conf [PORT] [extra "key = value" lines for [upload]]: $T/fc.conf
write_conf() {
	local port=$1; shift
	{
		echo "[upload]"
		echo "url = http://127.0.0.1:$port"
		echo "token_file = $T/token"
		echo "connect_timeout_s = 1"
		echo "timeout_s = 1"
		echo "backoff_base_ms = 1"
		echo "backoff_cap_s = 1"
		for l in "$@"; do echo "$l"; done
	} >"$T/fc.conf"
}
fc() { "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
# sync_bg LOG: `forecourt sync --daemon` in the background (the process
# itself, not a subshell); sets SYNC_PID.
sync_bg() {
	"$FC" --config "$T/fc.conf" --db "$DB" sync --daemon 2>>"$1" &
	SYNC_PID=$!
	BG_PIDS+=("$SYNC_PID")
}
pending() { q "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'"; }
pending_is() { [ "$(pending)" = "$1" ]; }
fill() { "$FORECOURT_BUILD/tests/tools/outbox_fill" "$DB" "$@" >/dev/null || fail "outbox_fill $*"; }

# Every station record at head office, none missing, none altered.
check_all_arrived() {
	local missing
	missing=$(sqlite3 "$DB" "ATTACH '$T/hq.db' AS hq;
		SELECT count(*) FROM outbox o LEFT JOIN hq.received r ON r.id = o.id
		WHERE o.state <> 'dead' AND (r.id IS NULL OR r.payload <> o.payload OR r.seq <> o.seq)")
	[ "$missing" = 0 ] || fail "$missing records missing or altered at head office"
}
# Points per customer at head office equal the station's ledger sums.
check_points_equal() {
	local diff
	diff=$(sqlite3 "$DB" "ATTACH '$T/hq.db' AS hq;
		SELECT count(*) FROM (SELECT c.code, sum(l.delta) AS s FROM points_ledger l
		  JOIN customers c ON c.id = l.customer_id GROUP BY c.code) st
		FULL JOIN (SELECT customer, sum(points) AS s FROM hq.received GROUP BY customer) h
		  ON h.customer = st.code WHERE h.s IS NOT st.s")
	[ "$diff" = 0 ] || fail "$diff customers' points differ between head office and station"
}
