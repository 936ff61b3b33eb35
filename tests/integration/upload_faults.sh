#!/usr/bin/env bash
# upload_faults.sh — 10 000 records made while head office is down, then a
# receiver failing 30 % of requests with every fault: all arrive once in
# effect, in seq order, points equal, nothing left pending.
. "$(dirname "$0")/upload_lib.sh"

# Head office down: a port nobody listens on any more.
rx_start
dead_port=$RX_PORT
rx_stop
write_conf "$dead_port" "batch_max = 100"
start=$(date +%s%3N)
fill 10000 --customers 200
ok "10000 records made in $(( $(date +%s%3N) - start )) ms"

fc sync --once 2>"$T/down.err" && fail "sync succeeded with head office down"
grep -q "Couldn't connect\|Connection refused" "$T/down.err" || fail "no reason given: $(cat "$T/down.err")"
fc outbox status --json >"$T/st.json"
grep -q '"pending": 10000' "$T/st.json" || fail "status: $(cat "$T/st.json")"
grep -q '"online": false' "$T/st.json" || fail "not offline: $(cat "$T/st.json")"
ok "head office down: sync --once exits 1 naming the reason, status offline, 10000 pending"

# Head office back, failing 30 % of requests at random (seeded).
rx_start --mode random --rate 0.3 --seed 7 --hang 2
write_conf "$RX_PORT" "batch_max = 100"
start=$(date +%s%3N)
sync_bg "$T/daemon.log"
daemon=$SYNC_PID
wait_for 170 pending_is 0 || fail "still $(pending) pending; log tail: $(tail -3 "$T/daemon.log")"
drain_ms=$(( $(date +%s%3N) - start ))
kill -TERM "$daemon"
wait "$daemon" || fail "daemon exit status $? after SIGTERM"

distinct=$(rx_stat distinct)
[ "$distinct" = 10000 ] || fail "head office holds $distinct distinct ids, want 10000"
for k in dup_mismatch order_violations key_mismatch header_errors; do
	v=$(rx_stat "$k")
	[ "$v" = 0 ] || fail "$k = $v"
done
check_all_arrived
check_points_equal
faults=$(rx_json faults)
for f in 5xx hang reset drop ack2 partial 409 401 garbage; do
	grep -q "\"$f\"" <<<"$faults" || fail "fault $f never happened: $faults"
done
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] || fail "records not sent"
fc outbox status >"$T/status.txt"
grep -q "^state: *online" "$T/status.txt" || fail "status: $(cat "$T/status.txt")"
ok "10000 distinct at head office, 0 pending, points equal, seq order kept"
ok "drained in ${drain_ms} ms; requests $(rx_stat requests) over $(rx_stat record_connections) connections; duplicates $(rx_stat duplicates); faults $faults"
