#!/usr/bin/env bash
# care_session_idle.sh — a head's F6 login ends after [auth] idle_minutes
# without a key anywhere in the kiosk (not only on the care screens): a key
# at the idle screen keeps it, a minute without one ends it and F7 asks the
# PIN again.  The kiosk's clock moves through FORECOURT_MONO_OFFSET_FILE.
. "$(dirname "$0")/care_session_fixture.sh"

GATE="站长或管理员：工号和密码"
BOOK="没有意见记录。"
LOCKED="1 分钟无操作已锁定：需要重新输入站长密码"
complaints() { q "$DB" "SELECT count(*) FROM complaints"; }

# --- idle expiry: the F6 login ends after a minute without a key anywhere ----
login H2 135799 赵站长
tui_keys kiosk F7
tui_wait kiosk 10 "$BOOK" || fail "F7 did not open the book for the logged-in head"
tui_keys kiosk Escape
tui_wait kiosk 10 "请刷客户卡" || fail "Esc did not return to the idle screen"
# a key at the idle screen (F1, Esc) keeps the login: 50 s after it, F7 opens at once
advance 30000
n=$(keys_seen)
tui_keys kiosk F1
key_taken "$n"
tui_keys kiosk Escape
tui_wait kiosk 10 "请刷客户卡" || fail "help did not close"
advance 80000
tui_screen kiosk | grep -qF "$LOCKED" && fail "locked 50 s after a key at the idle screen"
tui_keys kiosk F7
tui_wait kiosk 10 "$BOOK" || fail "the book did not open 50 s after a key"
ok "a key anywhere keeps the head's F6 login"
tui_keys kiosk Escape
tui_wait kiosk 10 "请刷客户卡" || fail "back to the idle screen"
# a minute without a key at the idle screen: the login ends, F7 asks the PIN
advance 150000
tui_wait kiosk 30 "$LOCKED" || fail "the F6 login did not end after an idle minute at the idle screen"
[ "$(q "$DB" "SELECT count(*) FROM audit WHERE action = 'logout' AND detail LIKE 'idle lock%'")" = 1 ] ||
	fail "the idle expiry was not recorded as a logout"
tui_screen kiosk | head -1 | grep -qF "赵站长" && fail "the status bar still names the head"
tui_keys kiosk F7
tui_wait kiosk 10 "$GATE" || fail "F7 did not ask the PIN again after the idle minute"
tui_screen kiosk | grep -qF "$BOOK" && fail "the book opened without the PIN"
ok "a head's F6 login ends after 1 minute without a key; F7 asks the PIN again"
