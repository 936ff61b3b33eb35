#!/usr/bin/env bash
# tests/tui/kiosk_terminal.sh — kiosk mode refuses Ctrl-C, Ctrl-Z and F10
# and says how to exit; the terminal modes are restored after SIGTERM,
# SIGSEGV and SIGABRT; F1 help lists the keys; idle returns by itself.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

tui_fixture "$T" "$T/reader" zh_CN yes 5 || fail "fixture"
feed_start "$T" || fail "ptyfeed"
kiosk_start k "$T" || fail "start"
tui_wait k 15 "锁定模式：如需退出" || fail "kiosk mode: no exit hint on the idle screen"
tui_screen k | grep -qF "F10退出" && fail "kiosk mode: F10 offered on the key bar"
for key in C-c C-z F10; do
	tui_keys k "$key"
	tui_wait k 5 "不能退出" || fail "kiosk mode: no message for $key"
	[ -e "$T/kiosk.status" ] && fail "kiosk mode: $key ended the kiosk"
	tui_keys k Escape
done
ok "kiosk mode: Ctrl-C, Ctrl-Z and F10 refused with a message"

tui_keys k F1
tui_wait k 5 "本屏按键" || fail "F1 help"
s=$(tui_screen k)
grep -qF "记录无客户的加油" <<<"$s" || fail "help lacks the idle screen's F5: $s"
tui_keys k Escape
tui_wait k 5 "请刷客户卡" || fail "Esc from help"
ok "F1 help generated from the key table"

# Idle returns by itself after [ui] idle_seconds (5 here).
swipe "$T" "$CARD_DIAMOND"
tui_wait k 5 "钻级" || fail "swipe"
tui_wait k 12 "请刷客户卡" || fail "idle screen did not come back after 5 s"
ok "idle screen returns after idle_seconds"

for sig in TERM SEGV ABRT; do
	[ -e "$T/kiosk.pid" ] || { kiosk_start "k$sig" "$T" || fail "start"; }
	name=k; [ "$sig" = TERM ] || name="k$sig"
	tui_wait "$name" 15 "请刷客户卡" || fail "$sig: idle"
	kill -"$sig" "$(kiosk_pid "$T")"
	kiosk_wait_exit "$T" || fail "$sig: kiosk did not end"
	grep -q ' icanon' "$T/stty.before" || fail "stty before: $(cat "$T/stty.before")"
	diff "$T/stty.before" "$T/stty.after" || fail "$sig: terminal modes not restored"
	echo "# SIG$sig: exit status $(cat "$T/kiosk.status")"
	rm -f "$T/kiosk.pid"
	: >"$T/kiosk.err"
done
ok "terminal modes restored after SIGTERM, SIGSEGV, SIGABRT"
