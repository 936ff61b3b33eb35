#!/usr/bin/env bash
# upload_outage.sh — a 7-day outage (injected clock) with 3 000 visits a day:
# the status shows the backlog and its age, and the backlog drains after
# head office comes back, in order and complete, while a kiosk keeps
# recording visits (each of its writes commits; `make bench` times them
# against the same writes with no uploader: write_drain).
. "$(dirname "$0")/upload_lib.sh"

DAYS=7 PER_DAY=3000
total=$((DAYS * PER_DAY))
rx_start
dead_port=$RX_PORT
rx_stop
write_conf "$dead_port"

start=$(date +%s%3N)
# 3 000 records a day from 2026-07-01 00:00Z, one every 28.8 s, for 7 days.
fill "$total" --customers 500 --start 2026-07-01T00:00:00Z --step-ms $((86400000 / PER_DAY))
ok "$total records over $DAYS days made in $(( $(date +%s%3N) - start )) ms"

export FORECOURT_NOW=2026-07-08T00:00:00Z
fc sync --once 2>"$T/down.err" && fail "sync succeeded during the outage"
fc outbox status --json >"$T/st.json"
"$PY" - "$T/st.json" "$total" <<'EOF' || fail "status during the outage: $(cat "$T/st.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["pending"] == int(sys.argv[2]), s
assert s["oldest_pending_at"] == "2026-07-01T00:00:00Z", s
assert s["oldest_pending_age_s"] == 7 * 86400, s
assert not s["online"] and s["offline_since"] == "2026-07-08T00:00:00Z", s
assert "Couldn't connect" in s["last_error"] or "refused" in s["last_error"], s
EOF
fc outbox status | grep -q "pending: *$total (oldest 2026-07-01T00:00:00Z, 7d 0h ago)" ||
	fail "status text: $(fc outbox status)"
ok "during the outage: $total pending, oldest 7 days, offline"

rx_start
write_conf "$RX_PORT"
start=$(date +%s%3N)
sync_bg "$T/daemon.log"
# Meanwhile a kiosk keeps recording visits: one write transaction every 20 ms.
"$FORECOURT_BUILD/tests/tools/outbox_fill" "$DB" 200 --per-tx 1 --pace-ms 20 >"$T/writes.txt" 2>&1 ||
	fail "recording during the drain failed: $(cat "$T/writes.txt")"
grep -q "^200 records" "$T/writes.txt" || fail "not all 200 visits recorded: $(cat "$T/writes.txt")"
total=$((total + 200))
wait_for 150 pending_is 0 || fail "$(pending) still pending; $(tail -2 "$T/daemon.log")"
drain_ms=$(( $(date +%s%3N) - start ))
kill -TERM "$SYNC_PID"
wait "$SYNC_PID" || fail "daemon exit $?"
[ "$(rx_stat distinct)" = "$total" ] || fail "head office holds $(rx_stat distinct)"
[ "$(rx_stat order_violations)" = 0 ] || fail "order violations"
check_all_arrived
check_points_equal
fc outbox status --json | grep -q '"online": true' || fail "not online after the drain"
ok "200 visits recorded during the drain, one transaction each, every one committed"
ok "backlog of $total drained, in order and complete ($drain_ms ms, $(rx_stat requests) requests)"
