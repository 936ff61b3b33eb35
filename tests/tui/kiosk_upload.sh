#!/usr/bin/env bash
# tests/tui/kiosk_upload.sh — the kiosk's uploader thread and status bar:
# a fuelling reaches the test receiver, the status bar turns online with an
# empty backlog (woken through the uploader's fd); with head office gone it
# shows "offline since hh:mm" and the backlog.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

PY=$(command -v /usr/bin/python3 || command -v python3)
TOKEN=kiosk-token-$$
printf '%s\n' "$TOKEN" >"$T/token"
chmod 600 "$T/token"
"$PY" "$FORECOURT_SRC/tests/tools/hq_receiver.py" --store "$T/hq.db" --token "$TOKEN" \
	>"$T/rx.port" 2>>"$T/rx.log" &
RX_PID=$!
trap 'kill -9 $RX_PID 2>/dev/null; _cleanup' EXIT
wait_for 20 test -s "$T/rx.port" || fail "receiver did not start: $(cat "$T/rx.log")"

tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
cat >>"$T/fc.conf" <<CONF
[upload]
url = http://127.0.0.1:$(cat "$T/rx.port")
token_file = $T/token
connect_timeout_s = 1
timeout_s = 1
backoff_base_ms = 1
backoff_cap_s = 1
CONF
feed_start "$T" || fail "ptyfeed"
kiosk_start k "$T" || fail "start"
tui_wait k 15 "读卡器：已连接" || fail "reader"
swipe "$T" "$CARD_DIAMOND"
tui_wait k 5 "钻级" || fail "swipe"
tui_keys k a 3 0 Enter
tui_wait k 5 "已保存 ✓" || fail "not saved"
id=$(q "$T/st.db" "SELECT id FROM visits")
tui_wait k 20 " 在线 | 待上传： 0" || fail "status bar not online with an empty backlog"
[ "$(sqlite3 "$T/hq.db" "SELECT count(*) FROM received WHERE id = '$id'")" = 1 ] ||
	fail "visit $id not at head office"
ok "visit $id uploaded by the kiosk's thread; status bar: online, backlog 0"

kill -9 "$RX_PID"
tui_keys k b 2 0 Enter
tui_wait k 5 "已保存 ✓  95#" || fail "second visit not saved"
tui_wait k 20 "离线 自 " || fail "status bar does not show offline since"
tui_wait k 5 "待上传：1（最早" || fail "backlog not shown while offline"
ok "head office gone: offline since hh:mm, backlog 1"
kiosk_quit k "$T" || fail "unclean exit"
