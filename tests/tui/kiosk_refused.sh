#!/usr/bin/env bash
# tests/tui/kiosk_refused.sh — the kiosk's own uploader thread with head
# office misbehaving: down at first (a failure in syslog), then refusing one
# record of 40 as a whole.  The thread narrows the refusal down, the other
# 39 arrive, the record becomes a dead letter, and the status bar says
# "总部拒收记录 #20（HTTP 400: …）".  Its syslog lines (through the test
# sink FORECOURT_LOG_FILE of the test build) carry the station id: the failure, the
# recovery and the dead letter - never the token or a card number.
. "$(dirname "$0")/../integration/upload_lib.sh"
. "$(dirname "$0")/fixture.sh"

export FORECOURT_LOG_FILE=$T/syslog
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
logged() { grep -qE "^$1 forecourt/S0001\[$(kiosk_pid "$T")\]: $2" "$FORECOURT_LOG_FILE"; }

DB=$T/st.db
tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
feed_start "$T" || fail "ptyfeed"
rx_start --mode down
cat >>"$T/fc.conf" <<CONF
[upload]
url = http://127.0.0.1:$RX_PORT
token_file = $T/token
connect_timeout_s = 1
timeout_s = 5
backoff_base_ms = 1
backoff_cap_s = 1
CONF
fill 40 --customers 5 --real-visits
poison=$(q "$DB" "SELECT id FROM outbox WHERE seq = 20")
kiosk_start k "$T" 200 30 || fail "start"
tui_wait k 15 "请刷客户卡" || fail "idle screen not shown"
tui_wait k 20 "离线 自" || fail "status bar does not show offline"
wait_for 30 logged warning "upload to head office failed: .*HTTP 503" ||
	fail "the kiosk's thread logged no failure: $(cat "$FORECOURT_LOG_FILE" 2>/dev/null)"
ok "head office down: offline, and the kiosk's uploader thread said so in syslog"

rx_ctl "refuse_id=$poison"
rx_ctl "mode=ok"
tui_wait k 30 "待上传： 0 | 读卡器：已连接 | 总部拒收记录 #20（HTTP 400: {\"error\":\"line 1: record $poison cannot be stored\"}）" ||
	fail "status bar does not name the refused record"
[ "$(rx_stat distinct)" = 39 ] || fail "head office holds $(rx_stat distinct) records, want 39"
[ "$(q "$DB" "SELECT state FROM outbox WHERE seq = 20")" = dead ] || fail "seq 20 is not a dead letter"
ok "status bar: $(tui_screen k | grep -o '总部拒收记录 #20（HTTP 400: {"error":"line 1' | head -1)…"

logged notice "upload to head office works again: " || fail "no recovery line: $(cat "$FORECOURT_LOG_FILE")"
logged err "record $poison \(seq 20\) moved to the dead letters: head office refuses it \(HTTP 400: " ||
	fail "no dead-letter line: $(cat "$FORECOURT_LOG_FILE")"
grep -qF "$TOKEN" "$FORECOURT_LOG_FILE" && fail "the token was logged"
leaked=$(q "$DB" "SELECT DISTINCT json_extract(payload, '$.data.card') FROM outbox" | grep -F -f - "$FORECOURT_LOG_FILE")
[ -z "$leaked" ] || fail "a full card number was logged: $leaked"
ok "the kiosk's thread logged the failure, the recovery and the dead letter as forecourt/S0001, no token or card number"
kiosk_quit k "$T" || fail "unclean exit"
