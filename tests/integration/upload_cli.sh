#!/usr/bin/env bash
# upload_cli.sh — the uploader's rules one by one: headers and keep-alive,
# the same Idempotency-Key on a retry, dead letters listed and retried,
# 401 shown as an auth error, token file 0644 refused, http:// only to
# loopback, one uploader per database, export to a directory, retention.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT" "batch_max = 50"
fill 300 --invalid-every 100

# Token file readable by others: refused, naming the file and the mode.
chmod 644 "$T/token"
fc sync --once 2>"$T/tok.err"
rc=$?
[ "$rc" = 1 ] || fail "token 0644: exit $rc"
grep -qF "$T/token: token file has mode 0644; it must be readable by its owner only (chmod 600 $T/token)" "$T/tok.err" ||
	fail "token 0644 message: $(cat "$T/tok.err")"
grep -q "$TOKEN" "$T/tok.err" && fail "the token was printed"
[ "$(rx_stat requests)" = 0 ] || fail "a request went out with a bad token file"
chmod 600 "$T/token"
ok "token file 0644 refused: $(cat "$T/tok.err")"

# Plain http:// to another host: refused unless allow_insecure.
cp "$T/fc.conf" "$T/good.conf"
sed -i 's#^url = .*#url = http://192.0.2.1:9/#' "$T/fc.conf"
fc sync --once 2>"$T/url.err" && fail "http:// to a remote host accepted"
grep -q "plain http:// is allowed only to this machine" "$T/url.err" || fail "url: $(cat "$T/url.err")"
cp "$T/good.conf" "$T/fc.conf"
ok "http:// to a non-loopback host refused"

# 401: an auth error in the status, nothing sent, records kept.
rx_ctl "mode=401"
fc sync --once 2>"$T/401.err" && fail "sync succeeded against 401"
fc outbox status >"$T/st401.txt"
grep -q "last error: .*refused the token (HTTP 401)" "$T/st401.txt" || fail "status: $(cat "$T/st401.txt")"
grep -q "state: *offline since" "$T/st401.txt" || fail "not offline: $(cat "$T/st401.txt")"
[ "$(pending)" = 300 ] || fail "records lost on 401"
ok "401 shown: $(grep 'last error' "$T/st401.txt")"

# Commit-then-drop once: the retry carries the same Idempotency-Key.
rx_ctl "mode=drop&count=1"
fc sync --once 2>/dev/null && fail "sync succeeded though the reply was dropped"
fc sync --once 2>"$T/sync.err" || fail "sync: $(cat "$T/sync.err")"
[ "$(rx_stat keys_reused)" -ge 1 ] || fail "retried batch had a new Idempotency-Key"
[ "$(rx_stat key_mismatch)" = 0 ] || fail "a key was reused for other records"
[ "$(rx_stat duplicates)" = 50 ] || fail "duplicates $(rx_stat duplicates), want the 50 of the dropped batch"
[ "$(rx_stat header_errors)" = 0 ] || fail "header errors"
[ "$(rx_stat record_connections)" -lt "$(rx_stat requests)" ] ||
	fail "no keep-alive: $(rx_stat record_connections) connections for $(rx_stat requests) requests"
ok "dropped reply retried with the same key; $(rx_stat requests) requests over $(rx_stat record_connections) connections"

# Dead letters: listed with head office's reason, retried on demand.
[ "$(pending)" = 0 ] || fail "$(pending) pending"
fc outbox dead >"$T/dead.txt"
grep -q "^3 dead letters" "$T/dead.txt" || fail "dead: $(cat "$T/dead.txt")"
grep -q "invalid_payload: data.invalid is set" "$T/dead.txt" || fail "no reason: $(cat "$T/dead.txt")"
fc outbox dead --json | "$PY" -c 'import json,sys; rows=[json.loads(l) for l in sys.stdin]; assert len(rows)==3 and all(r["record"]["data"]["invalid"] for r in rows)' ||
	fail "dead --json"
id=$(q "$DB" "SELECT id FROM outbox WHERE state = 'dead' ORDER BY seq LIMIT 1")
fc outbox retry "$id" | grep -q "^1 record queued" || fail "retry ID"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending' AND type <> 'audit'")" = 1 ] ||
	fail "retry did not requeue"
[ "$(q "$DB" "SELECT detail FROM audit ORDER BY id DESC LIMIT 1")" = "$id: 1 dead letters queued again (by cli)" ] ||
	fail "retry not audited: $(q "$DB" "SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1")"
fc outbox retry 00000000-0000-7000-8000-000000000000 2>"$T/retry.err" && fail "retry of an unknown id"
grep -q "no dead letter with this id" "$T/retry.err" || fail "retry unknown: $(cat "$T/retry.err")"
fc outbox retry --all | grep -q "^2 records queued" || fail "retry --all"
fc sync --once 2>/dev/null || fail "sync after retry"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE state = 'dead'")" = 3 ] || fail "rejected again: should be dead again"
ok "dead letters listed with the reason, retried by id and --all"

# 413 from head office: smaller batches; a single record too large is a dead letter.
fill 40
rx_ctl "max_lines=7"
fc sync --once 2>"$T/413.err" || fail "sync with a 7-record limit: $(cat "$T/413.err")"
grep -q "sending at most 5 at a time" "$T/413.err" || fail "413: $(cat "$T/413.err")"
[ "$(pending)" = 0 ] || fail "413: $(pending) pending"
rx_ctl "max_lines=0"
fill 1
fc sync --once 2>"$T/413b.err" || fail "sync with a 0-record limit: $(cat "$T/413b.err")"
fc outbox dead | grep -q "payload_too_large: head office refused this .*-byte record as too large (HTTP 413)" ||
	fail "no 413 dead letter: $(fc outbox dead)"
id=$(q "$DB" "SELECT id FROM outbox WHERE state = 'dead' AND last_error LIKE 'payload_too_large%'")
rx_ctl "max_lines=-1"
fc outbox retry "$id" >/dev/null || fail "retry 413"
fc sync --once 2>/dev/null || fail "sync after the limit was lifted"
[ "$(q "$DB" "SELECT state FROM outbox WHERE id = '$id'")" = sent ] || fail "413 dead letter not delivered on retry"
ok "HTTP 413: batches halved (40 -> 20 -> 10 -> 5), a single too-large record kept as a dead letter and delivered on retry"

# Status figures.
fc outbox status --json >"$T/st.json"
"$PY" - "$T/st.json" <<'EOF' || fail "status json: $(cat "$T/st.json")"
import json, sys
s = json.load(open(sys.argv[1]))
# 338 records and the audit records of the three `outbox retry` runs
assert s["pending"] == 0 and s["dead"] == 3 and s["sent_today"] == 341, s
assert s["online"] and s["last_ok_at"] and s["last_error"] == "", s
EOF
ok "status --json: pending 0, sent today 341, dead 3, online"

# Sneakernet export: pending records as NDJSON, atomically, nothing else left.
fill 25
mkdir "$T/usb"
fc outbox export "$T/usb" >"$T/export.txt" || fail "export"
f=$(ls "$T/usb")
[ "$(ls -A "$T/usb" | wc -l)" = 1 ] || fail "export left other files: $(ls -A "$T/usb")"
[ "$(wc -l <"$T/usb/$f")" = 25 ] || fail "export has $(wc -l <"$T/usb/$f") lines"
[ "$(head -c 7 "$T/usb/$f")" = '{"id":"' ] || fail "not NDJSON records"
[ "$(pending)" = 25 ] || fail "export must not mark records sent"
ok "export: $(cat "$T/export.txt")"

# One uploader per database: the second one waits and says so.
write_conf "$RX_PORT" "batch_max = 50"
sync_bg "$T/first.log"
first=$SYNC_PID
wait_for 20 pending_is 0 || fail "first uploader did not deliver"
fc sync --once 2>"$T/second.err" &
second=$!
BG_PIDS+=("$second")
wait_for 20 grep -q "another uploader is running on $DB" "$T/second.err" ||
	fail "second uploader did not say it waits: $(cat "$T/second.err")"
kill -0 "$second" 2>/dev/null || fail "second uploader did not wait"
kill -TERM "$first"
wait "$first" || fail "first uploader exit $?"
wait "$second" || fail "second uploader failed after the lock was freed: $(cat "$T/second.err")"
grep -q "got the uploader lock" "$T/second.err" || fail "second: $(cat "$T/second.err")"
ok "second uploader: $(head -1 "$T/second.err")"

# Retention: sent records older than retention_days go, pending and dead stay.
fill 5
FORECOURT_NOW=2099-01-01T00:00:00Z fc outbox prune >"$T/prune.txt"
grep -q "^366 sent records older than 90 days removed" "$T/prune.txt" || fail "prune: $(cat "$T/prune.txt")"
# 5 pending, 3 dead, and the prune's own audit record (pending)
[ "$(q "$DB" "SELECT count(*) || '/' || sum(state = 'pending') || '/' || sum(state = 'dead') FROM outbox")" = "9/6/3" ] ||
	fail "prune removed pending or dead records"
[ "$(q "$DB" "SELECT action || ': ' || detail FROM audit ORDER BY id DESC LIMIT 1")" = \
	"outbox_prune: 366 sent records acknowledged before 2098-10-03T00:00:00Z removed (by cli)" ] ||
	fail "prune not audited: $(q "$DB" "SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1")"
ok "prune keeps pending and dead records, audited"
