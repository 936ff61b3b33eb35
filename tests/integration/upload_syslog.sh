#!/usr/bin/env bash
# upload_syslog.sh — what `forecourt sync` tells syslog, read through the
# test build's log sink (FORECOURT_LOG_FILE, src/base/log.c: the lines go
# there as "PRIORITY IDENT[PID]: MESSAGE"): with the station
# id in the ident, a failed upload once at warning (not once per retry),
# the recovery at notice, a refused token at err, a batch refused as a
# whole and the record held back at warning, each dead letter at err; and
# never the token or a full card number, though every record holds one.
. "$(dirname "$0")/upload_lib.sh"

SINK=$T/syslog
SINK_ENV=(FORECOURT_LOG_FILE="$SINK")
fcl() { env "${SINK_ENV[@]}" "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
logged() { grep -qE "^$1 forecourt/S0042\[[0-9]+\]: $2" "$SINK"; }
count() { grep -cE "^$1 forecourt/S0042\[[0-9]+\]: $2" "$SINK"; }

rx_start --mode down
write_conf "$RX_PORT" "master_interval_s = 5"
printf '[station]\nid = S0042\n' >>"$T/fc.conf"
fill 300 --customers 20 --station S0042 --real-visits --invalid-every 150
poison=$(q "$DB" "SELECT id FROM outbox WHERE seq = 100")

# Head office down: one warning however many retries, then the recovery.
env "${SINK_ENV[@]}" "$FC" --config "$T/fc.conf" --db "$DB" sync --daemon 2>"$T/daemon.log" &
SYNC_PID=$!
BG_PIDS+=("$SYNC_PID")
tries_at_least() { [ "$(grep -c 'upload failed' "$T/daemon.log")" -ge "$1" ]; }
wait_for 60 tries_at_least 5 || fail "not retried: $(cat "$T/daemon.log")"
logged warning "upload to head office failed: http://127.0.0.1:$RX_PORT/v1/records: head office answered HTTP 503: \{\"error\":\"down for maintenance\"\}$" ||
	fail "no failure line: $(cat "$SINK" 2>/dev/null)"
[ "$(count warning "upload to head office failed")" = 1 ] || fail "failure logged at each retry: $(cat "$SINK")"
rx_ctl "refuse_id=$poison"
rx_ctl "mode=ok"
state_is() { [ "$(q "$DB" "SELECT state FROM outbox WHERE id = '$1'")" = "$2" ]; }
wait_for 60 state_is "$poison" dead || fail "not a dead letter: $(tail -3 "$T/daemon.log")"
wait_for 30 pending_is 0 || fail "$(pending) pending"
kill -TERM "$SYNC_PID"
wait "$SYNC_PID" || fail "daemon exit $?"
logged notice "upload to head office works again: [0-9]+ records taken after [0-9]+ failed attempts" ||
	fail "no recovery line: $(cat "$SINK")"
logged warning "head office refuses a batch of [0-9]+ records \(seq [0-9]+\.\.[0-9]+\) as a whole \(HTTP 400: " ||
	fail "no narrowing line: $(cat "$SINK")"
logged warning "head office refuses record $poison \(seq 100\) \(HTTP 400: .*\); holding it back" ||
	fail "no held line: $(cat "$SINK")"
logged err "record $poison \(seq 100\) moved to the dead letters: head office refuses it \(HTTP 400: \{\"error\":\"line 1: record $poison cannot be stored\"\}\)" ||
	fail "no dead-letter line for the refused record: $(cat "$SINK")"
for seq in 150 300; do
	id=$(q "$DB" "SELECT id FROM outbox WHERE seq = $seq")
	logged err "record $id \(seq $seq\) moved to the dead letters: head office rejected it \(invalid_payload: data.invalid is set \(line [0-9]+\)\)" ||
		fail "no dead-letter line for seq $seq: $(cat "$SINK")"
done
ok "sync --daemon: failure once at warning, recovery at notice, narrowing and holding at warning, 3 dead letters at err"

# A refused token: err (the station head must act).
rx_ctl "mode=401"
fill 1 --customers 20 --station S0042 --real-visits
fcl sync --once 2>/dev/null && fail "sync succeeded against 401"
logged err "upload to head office failed: .*refused the token \(HTTP 401\)" || fail "no 401 line: $(cat "$SINK")"
ok "refused token at err: $(grep -m1 'HTTP 401' "$SINK" | cut -c1-100)…"

# Never the token, never a full card number (each record carries its card).
cards=$(q "$DB" "SELECT count(DISTINCT json_extract(payload, '$.data.card')) FROM outbox")
[ "$cards" -ge 20 ] || fail "the records hold $cards card numbers"
grep -qF "$TOKEN" "$SINK" && fail "the token was logged"
leaked=$(q "$DB" "SELECT DISTINCT json_extract(payload, '$.data.card') FROM outbox" | grep -F -f - "$SINK")
[ -z "$leaked" ] || fail "a full card number was logged: $leaked"
ok "$(wc -l <"$SINK") syslog lines, tagged forecourt/S0042: no token, none of the $cards card numbers"
