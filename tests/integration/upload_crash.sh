#!/usr/bin/env bash
# upload_crash.sh — kill -9 of `forecourt sync` at KILLS random moments
# during delivery (default 60; more for a soak), the receiver also dropping
# replies after commit: delivery resumes after each restart, nothing is lost,
# duplicates are only ids head office already had (same content), and seq
# stays strictly increasing.
. "$(dirname "$0")/upload_lib.sh"

KILLS=${KILLS:-60}
rx_start --mode random --rate 0.15 --seed 11 --hang 0.3
write_conf "$RX_PORT" "batch_max = 5"
fill 20000 --customers 100

requests() { rx_stat requests; }
more_requests_than() { [ "$(requests)" -gt "$1" ]; }

start=$(date +%s%3N)
for i in $(seq "$KILLS"); do
	before=$(requests)
	sync_bg "$T/sync.log"
	# Delivery resumed: head office gets a new request from this process.
	wait_for 20 more_requests_than "$before" ||
		fail "cycle $i: delivery did not resume ($(pending) pending); $(tail -2 "$T/sync.log")"
	# The random moment: 0..40 ms into the delivery.
	sleep "0.0$((RANDOM % 40 / 10))$((RANDOM % 10))"
	kill -9 "$SYNC_PID"
	wait "$SYNC_PID" 2>/dev/null
	[ "$(pending)" -gt 0 ] || fail "backlog ran out after $i kills: make more records"
done
ok "$KILLS kill -9 cycles in $(( $(date +%s%3N) - start )) ms, $(pending) still pending"

rx_ctl "mode=ok"
write_conf "$RX_PORT" "batch_max = 500"
fc sync --once 2>"$T/last.log" || fail "final sync: $(tail -3 "$T/last.log")"
[ "$(pending)" = 0 ] || fail "$(pending) pending after the final sync"
distinct=$(rx_stat distinct)
[ "$distinct" = 20000 ] || fail "head office holds $distinct distinct ids, want 20000 (lost records)"
for k in dup_mismatch order_violations key_mismatch header_errors; do
	v=$(rx_stat "$k")
	[ "$v" = 0 ] || fail "$k = $v"
done
check_all_arrived
check_points_equal
# Seq gap-free and unique at the station across all the restarts.
[ "$(q "$DB" "SELECT count(DISTINCT seq) = max(seq) AND min(seq) = 1 FROM outbox")" = 1 ] ||
	fail "station seq has gaps"
ok "0 lost: $distinct distinct; duplicates $(rx_stat duplicates) (all ids already held, same content); keys reused $(rx_stat keys_reused); order violations 0"
