#!/usr/bin/env bash
# tests/tui/kiosk_terminal.sh — kiosk mode refuses Ctrl-C, Ctrl-Z and F10
# and says how to exit; the terminal modes are restored after SIGTERM,
# SIGSEGV and SIGABRT; F1 help lists the keys; idle returns by itself; a
# logged-in admin may leave with F10.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

tui_fixture "$T" "$T/reader" zh_CN yes 60 || fail "fixture"
feed_start "$T" || fail "ptyfeed"
# The idle minute is not waited out: the kiosk's clock is moved (mono_advance).
export FORECOURT_MONO_OFFSET_FILE=$T/mono.offset FORECOURT_UI_TRACE=$T/ui.trace
kiosk_start k "$T" || fail "start"
tui_wait k 15 "锁定模式：如需退出" || fail "kiosk mode: no exit hint on the idle screen"
tui_screen k | grep -qF "F10退出" && fail "kiosk mode: F10 offered on the key bar"
for key in C-c:Ctrl-C C-z:Ctrl-Z F10:F10; do
	tui_keys k "${key%%:*}"
	# the message names the key: the one before it does not count
	tui_wait k 5 "锁定模式：${key#*:} 不能退出" || fail "kiosk mode: no message for ${key#*:}"
	[ -e "$T/kiosk.status" ] && fail "kiosk mode: ${key#*:} ended the kiosk"
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

# Idle returns by itself after [ui] idle_seconds (60 here): not after 30 s,
# after 61 s.
swipe "$T" "$CARD_DIAMOND"
tui_wait k 5 "钻级" || fail "swipe"
mono_advance 30000 || fail "the kiosk did not tick after its clock moved"
tui_screen k | grep -qF "钻级" || fail "the customer left the screen 30 s after the swipe"
mono_advance 61000 || fail "the kiosk did not tick after its clock moved"
tui_wait k 12 "请刷客户卡" || fail "idle screen did not come back after 60 s"
ok "idle screen returns after idle_seconds, not before"

# An admin logged in with the PIN (F6) may leave with F10; Ctrl-C still not.
printf '999999\n999999\n' | "$FC" --config "$T/fc.conf" --db "$T/st.db" staff add A1 管理员甲 admin >/dev/null ||
	fail "staff add"
tui_keys k F6
tui_wait k 10 "上班登录" || fail "no login screen"
tui_keys k -l A1
tui_keys k Tab
tui_keys k -l 999999
tui_keys k Enter
tui_wait k 10 "已登录" || fail "admin login"
tui_wait k 5 "F10退出" || fail "F10 not offered to a logged-in admin"
tui_keys k C-c
tui_wait k 5 "Ctrl-C 不能退出" || fail "Ctrl-C quit for an admin"
[ -e "$T/kiosk.status" ] && fail "Ctrl-C ended the kiosk"
kiosk_quit k "$T" || fail "admin F10 did not quit cleanly"
ok "kiosk mode: a logged-in admin leaves with F10 (exit 0, clean stderr)"
rm -f "$T/kiosk.pid"

for sig in TERM SEGV ABRT; do
	kiosk_start "k$sig" "$T" || fail "start"
	name="k$sig"
	tui_wait "$name" 15 "请刷客户卡" || fail "$sig: idle"
	kill -"$sig" "$(kiosk_pid "$T")"
	kiosk_wait_exit "$T" || fail "$sig: kiosk did not end"
	grep -q ' icanon' "$T/stty.before" || fail "stty before: $(cat "$T/stty.before")"
	diff "$T/stty.before" "$T/stty.after" || fail "$sig: terminal modes not restored"
	echo "# SIG$sig: exit status $(cat "$T/kiosk.status")"
	: >"$T/kiosk.err"
done
ok "terminal modes restored after SIGTERM, SIGSEGV, SIGABRT"
