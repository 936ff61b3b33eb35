#!/usr/bin/env bash
# tests/tui/upload_drain.sh — the kiosk's own uploader thread drains a week's
# backlog (21 000 records) after head office comes back, while the attendant
# keeps pressing keys (F1 help, Esc back): every answer is drawn in the key's
# own turn of the kiosk's loop (tests/tools/keyturn.py freezes the kiosk after
# that turn, FORECOURT_UI_TRACE, and the answer must still reach the screen),
# with the uploader idle and during the drain.  The status bar goes from
# offline with the backlog to online with 0, head office holds every record
# in order, and the kiosk exits cleanly.  How fast the keys are answered is
# for `make bench` (key_drain: during the drain against the idle floor).
. "$(dirname "$0")/../integration/upload_lib.sh"
. "$(dirname "$0")/fixture.sh"

drain_kiosk_start 21000 30
tui_wait k 5 "待上传：21000" || fail "status bar does not show the backlog"
ok "head office down: status bar shows offline and the backlog of 21000"

# keyturn PRESSES [more arguments]: F1 (help) and Esc (back) pressed in
# turn, each checked to be drawn in its own loop turn; prints "presses conclusive".
keyturn() {
	"$PY" "$FORECOURT_SRC/tests/tools/keyturn.py" --socket "$TMUX_SOCKET" --target k \
		--pid "$(kiosk_pid "$T")" --trace "$T/ui.trace" \
		--press "F1=本屏按键" --press "Escape=请刷客户卡" --presses "$@"
}
# Head office down, the uploader idle (a screen pushed by F1 was drawn only at
# the next 1 s tick here, once).
read -r n checked < <(keyturn 20) || fail "key presses with the uploader idle"
[ "$checked" -ge 1 ] || fail "no key press could be checked with the uploader idle ($n pressed)"
ok "uploader idle: $n key presses answered, $checked of them checked drawn in the key's own turn"

# Head office back: the thread drains while keys are pressed and checked.
rx_ctl "mode=ok"
read -r n checked < <(keyturn 1000 --while-cmd \
	"[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM outbox WHERE state = 'pending'\")\" -gt 0 ]") ||
	fail "key presses during the drain"
wait_for 120 pending_is 0 || fail "kiosk did not drain: $(pending) pending"
# (the first F1/Esc pair is pressed before the drain can have ended)
[ "$n" -ge 2 ] || fail "only $n key presses during the drain"
[ "$checked" -ge 1 ] || fail "no key press could be checked during the drain ($n pressed)"
ok "during the drain: $n key presses answered, $checked of them checked drawn in the key's own turn"
tui_wait k 10 "在线" || fail "status bar not back online"
tui_wait k 5 "待上传： 0" || fail "status bar backlog not 0"
[ "$(rx_stat distinct)" = 21000 ] || fail "head office holds $(rx_stat distinct)"
[ "$(rx_stat order_violations)" = 0 ] || fail "order violations"
check_all_arrived
ok "drained by the kiosk's thread: head office holds all 21000 records, in order"
kiosk_quit k "$T" || fail "unclean exit"
ok "status bar back online with 0 to upload; clean exit (uploader thread stopped, no leak)"
