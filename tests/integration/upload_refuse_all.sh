#!/usr/bin/env bash
# upload_refuse_all.sh — a head office that refuses every batch (404 to
# everything, a wrong URL path) makes no dead letters: narrowing finds only
# records refused alone and none taken, so the attempt fails as an outage
# does, the records stay pending in seq order and the status names the
# failure, not a record; once head office answers again, everything arrives.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT" "batch_max = 40"
fill 60
rx_ctl "mode=404all"
fc sync --once 2>"$T/sync.err" && fail "sync succeeded against 404 to everything"
grep -q "head office refuses every record it is sent (HTTP 404: {\"error\":\"no such path\"})" "$T/sync.err" ||
	fail "sync: $(cat "$T/sync.err")"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE state = 'dead'")" = 0 ] || fail "dead letters made"
[ "$(pending)" = 60 ] || fail "$(pending) pending"
fc outbox status --json | "$PY" -c '
import json, sys
s = json.load(sys.stdin)
assert s["refused"] is None and not s["online"], s
assert "head office refuses every record it is sent (HTTP 404" in s["last_error"], s
' || fail "status: $(fc outbox status --json)"
ok "404 to everything, $(rx_stat requests) requests: no dead letter, 60 pending, status: offline, refuses every record"

rx_ctl "mode=ok"
fc sync --once 2>"$T/ok.err" || fail "sync: $(cat "$T/ok.err")"
[ "$(pending)" = 0 ] && [ "$(rx_stat distinct)" = 60 ] || fail "$(pending) pending, $(rx_stat distinct) at head office"
[ "$(rx_stat order_violations)" = 0 ] || fail "order violations"
check_all_arrived
ok "head office answering again: all 60 arrive in seq order"
