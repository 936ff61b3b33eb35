#!/usr/bin/env bash
# upload_poison_5xx.sh — head office answers 5xx to every batch holding one
# record.  503 (unavailable) is an outage: retried with backoff however long
# it lasts, never narrowed, no dead letter, nothing after it sent out of
# order.  500 that persists (UPLOADER_SERVER_ERROR_TRIES answers in a row
# for the same batch) is a refusal: narrowed down to the record, which
# becomes a dead letter once it is refused again alone after head office took
# the records after it; the other 299 arrive in seq order.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT" "batch_max = 100"
fill 300 --customers 10
poison=$(q "$DB" "SELECT id FROM outbox WHERE seq = 150")
state_of() { q "$DB" "SELECT state FROM outbox WHERE id = '$1'"; }
state_is() { [ "$(state_of "$1")" = "$2" ]; }
refused_at_least() { [ "$(rx_stat refused)" -ge "$1" ]; }
dead() { q "$DB" "SELECT count(*) FROM outbox WHERE state = 'dead'"; }

rx_ctl "refuse_id=$poison&refuse_status=503"
sync_bg "$T/daemon.log"
wait_for 60 refused_at_least 8 || fail "the batch was not retried: $(tail -3 "$T/daemon.log")"
[ "$(dead)" = 0 ] || fail "a 503 made a dead letter"
[ "$(rx_stat distinct)" = 100 ] || fail "head office holds $(rx_stat distinct) records, want the first batch of 100"
[ "$(pending)" = 200 ] || fail "$(pending) pending, want 200"
grep -q "refuses" "$T/daemon.log" && fail "a 503 was taken for a refusal: $(grep refuses "$T/daemon.log" | head -2)"
fc outbox status --json | "$PY" -c 'import json,sys; s=json.load(sys.stdin); assert s["refused"] is None and not s["online"], s' ||
	fail "status during the 503s: $(fc outbox status --json)"
ok "503 to the batch holding seq 150, $(rx_stat refused) times: an outage - retried whole, no dead letter, 200 pending, status offline"

rx_ctl "refuse_id=$poison&refuse_status=500"
wait_for 120 state_is "$poison" dead || fail "the record is $(state_of "$poison"); log: $(tail -5 "$T/daemon.log")"
wait_for 60 pending_is 0 || fail "$(pending) pending"
kill -TERM "$SYNC_PID"
wait "$SYNC_PID" || fail "daemon exit $?"
[ "$(rx_stat distinct)" = 299 ] || fail "head office holds $(rx_stat distinct) records, want 299"
for k in order_violations key_mismatch dup_mismatch; do
	[ "$(rx_stat "$k")" = 0 ] || fail "$k = $(rx_stat "$k")"
done
check_all_arrived
[ "$(q "$DB" "SELECT code || '|' || message FROM dead_letters")" = \
	"http_500|{\"error\":\"line 1: record $poison cannot be stored\"}" ] ||
	fail "dead letters: $(q "$DB" "SELECT * FROM dead_letters")"
fc outbox status | grep -qF "refused:       head office refuses record $poison (HTTP 500: " ||
	fail "status: $(fc outbox status)"
ok "persistent 500 on seq 150: narrowed down, a dead letter with HTTP 500 and the body, the other 299 arrived in order ($(rx_stat refused) refusals in all)"
