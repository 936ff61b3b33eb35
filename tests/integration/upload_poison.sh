#!/usr/bin/env bash
# upload_poison.sh — head office refuses one record of 1 000 (HTTP 400 to
# every batch that holds it): `forecourt sync --daemon` narrows the refused
# batch down to that record, the other 999 arrive in seq order, the record
# becomes a dead letter with head office's status and body, and `outbox
# status` (text and --json) says "head office refuses record … (HTTP 400: …)".
# Retried while head office still refuses it, the record is held back
# pending (nothing after it to show head office takes others), and
# meanwhile a blocked card from head office's master data reaches the
# station: the master pull keeps its own schedule whatever the queue holds.
# One record more, taken, and the refused one is a dead letter again.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT" "master_interval_s = 5"
fill 1000 --customers 20 --real-visits
poison=$(q "$DB" "SELECT id FROM outbox WHERE seq = 600")
printf '{"kind":"version","version":"v1"}\n' >"$T/v1.ndjson"
rx_ctl "master=$T/v1.ndjson"
rx_ctl "refuse_id=$poison"

state_of() { q "$DB" "SELECT state FROM outbox WHERE id = '$1'"; }
state_is() { [ "$(state_of "$1")" = "$2" ]; }
distinct_is() { [ "$(rx_stat distinct)" = "$1" ]; }

sync_bg "$T/daemon.log"
wait_for 60 state_is "$poison" dead || fail "the refused record is $(state_of "$poison"), $(pending) pending; log: $(tail -5 "$T/daemon.log")"
wait_for 60 distinct_is 999 || fail "head office holds $(rx_stat distinct) records, want 999"
[ "$(q "$T/hq.db" "SELECT count(*) FROM received WHERE id = '$poison'")" = 0 ] || fail "the refused record was stored"
for k in order_violations key_mismatch dup_mismatch header_errors; do
	[ "$(rx_stat "$k")" = 0 ] || fail "$k = $(rx_stat "$k")"
done
check_all_arrived
[ "$(q "$DB" "SELECT code || '|' || message FROM dead_letters WHERE seq = 600")" = \
	"http_400|{\"error\":\"line 1: record $poison cannot be stored\"}" ] ||
	fail "dead letter: $(q "$DB" "SELECT * FROM dead_letters")"
ok "1 of 1000 refused: the other 999 arrived in seq order after $(rx_stat refused) refusals, the refused one is a dead letter with head office's status and body"

fc outbox status >"$T/status.txt"
want="refused:       head office refuses record $poison (HTTP 400: {\"error\":\"line 1: record $poison cannot be stored\"}); seq 600 is a dead letter (forecourt outbox retry $poison)"
grep -qxF "$want" "$T/status.txt" || fail "outbox status: $(cat "$T/status.txt")"
fc outbox status --json | "$PY" -c '
import json, sys
r = json.load(sys.stdin)["refused"]
assert r["seq"] == 600 and r["id"] == sys.argv[1] and not r["pending"], r
assert r["reason"] == "HTTP 400: {\"error\":\"line 1: record %s cannot be stored\"}" % sys.argv[1], r
' "$poison" || fail "outbox status --json: $(fc outbox status --json)"
fc outbox dead | grep -qF "http_400: {\"error\":\"line 1: record $poison cannot be stored\"}" ||
	fail "outbox dead: $(fc outbox dead)"
ok "outbox status: $(grep '^refused:' "$T/status.txt" | cut -c16-90)…"

# Retried: the retry's own audit record follows it (outbox retry is
# audited), head office takes that one and refuses this one alone again:
# a dead letter again, with the same reason.
fc outbox retry "$poison" >/dev/null || fail "retry"
wait_for 60 state_is "$poison" dead || fail "after the retry the refused record is $(state_of "$poison")"
wait_for 30 pending_is 0 || fail "$(pending) pending after the retry"
fc outbox status | grep -qF "refused:       head office refuses record $poison (HTTP 400: " ||
	fail "status after the retry: $(fc outbox status)"

# A card blocked at head office reaches the station while the record is refused.
card=CA000003
[ "$(q "$DB" "SELECT status FROM cards WHERE card_id = '$card'")" = active ] || fail "card $card not active"
printf '{"kind":"blocked","card_id":"%s","reason":"stolen"}\n{"kind":"version","version":"v2"}\n' \
	"$card" >"$T/v2.ndjson"
rx_ctl "master=$T/v2.ndjson"
card_blocked() { [ "$(q "$DB" "SELECT status FROM cards WHERE card_id = '$card'")" = blocked ]; }
wait_for 60 card_blocked || fail "the blocked card did not reach the station; log: $(tail -5 "$T/daemon.log")"
state_is "$poison" dead || fail "the refused record is $(state_of "$poison") while the card was pulled"
fc lookup "$card" >"$T/lookup.txt" 2>&1
grep -qi "blocked" "$T/lookup.txt" || fail "lookup of the blocked card: $(cat "$T/lookup.txt")"
ok "refused record retried and refused again; meanwhile card $card blocked at head office reached the station (master version $(q "$DB" "SELECT value FROM meta WHERE key = 'master_version'"))"

# Head office takes the next record: the held one is tried once more, alone,
# refused again: a dead letter again, and the queue is empty.
fill 1 --customers 20 --real-visits
more=$(( $(q "$DB" "SELECT max(seq) FROM outbox") - 1000 ))
wait_for 60 distinct_is $((999 + more)) || fail "the records after the refused one did not arrive: $(rx_stat distinct)"
wait_for 60 state_is "$poison" dead || fail "the refused record is $(state_of "$poison")"
wait_for 30 pending_is 0 || fail "$(pending) pending"
check_all_arrived
kill -TERM "$SYNC_PID"
wait "$SYNC_PID" || fail "daemon exit $?"
ok "the next $more records arrived; the refused one, refused once more alone, is a dead letter again"
