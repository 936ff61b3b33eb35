#!/usr/bin/env bash
# upload_409.sh — HTTP 409 acknowledges nothing: a record is marked sent only
# when head office names it in "accepted" of a 2xx answer.  A 409 to batches
# head office never stored leaves every record pending, and they arrive once
# it answers again; a 409 after a lost acknowledgement (head office holds
# the batch) also leaves it pending, and the next attempt sends the same
# records with the same Idempotency-Key and gets them acknowledged.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT" "batch_max = 10"
fill 30
sent() { q "$DB" "SELECT count(*) FROM outbox WHERE state = 'sent'"; }

rx_ctl "mode=409any"
fc sync --once 2>"$T/409.err" && fail "sync succeeded against 409"
grep -q "HTTP 409 without acknowledging the records" "$T/409.err" || fail "409: $(cat "$T/409.err")"
fc sync --once 2>/dev/null && fail "second sync succeeded against 409"
[ "$(sent)" = 0 ] || fail "$(sent) records marked sent after 409 answers that stored nothing"
[ "$(pending)" = 30 ] || fail "$(pending) pending, want 30"
[ "$(rx_stat distinct)" = 0 ] || fail "head office holds $(rx_stat distinct)"
fc outbox status | grep -q "^last error: .*HTTP 409" || fail "status: $(fc outbox status)"
ok "409 to everything: nothing marked sent, 30 pending, $(rx_stat requests) requests"

rx_ctl "mode=ok"
fc sync --once 2>"$T/ok.err" || fail "sync: $(cat "$T/ok.err")"
[ "$(sent)" = 30 ] && [ "$(rx_stat distinct)" = 30 ] || fail "sent $(sent), head office $(rx_stat distinct)"
check_all_arrived
ok "head office answering again: the 30 records arrive and only then are marked sent"

# A lost acknowledgement, then 409 (head office holds every record of the
# batch): still pending, then sent again with the same key and acknowledged.
fill 10
rx_ctl "mode=drop&count=1"
fc sync --once 2>/dev/null && fail "the dropped acknowledgement was not noticed"
[ "$(rx_stat distinct)" = 40 ] || fail "the dropped batch was not stored"
rx_ctl "mode=409&count=1"
fc sync --once 2>"$T/409b.err" && fail "sync succeeded against 409"
grep -q "HTTP 409" "$T/409b.err" || fail "409: $(cat "$T/409b.err")"
[ "$(pending)" = 10 ] || fail "$(pending) pending after a 409, want 10"
fc sync --once 2>/dev/null || fail "sync after the 409"
[ "$(pending)" = 0 ] && [ "$(sent)" = 40 ] || fail "$(pending) pending, $(sent) sent"
[ "$(rx_stat keys_reused)" -ge 1 ] || fail "the batch went again with a new key"
[ "$(rx_stat key_mismatch)" = 0 ] || fail "a key was used for other records"
ok "lost acknowledgement then 409: kept pending, sent again with the same key ($(rx_stat keys_reused) reused), acknowledged"
