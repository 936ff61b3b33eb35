#!/usr/bin/env bash
# care_session_disabled.sh — a head disabled with `forecourt staff disable`
# while logged in with F6 is refused at the next F7 (and logged out); a
# complaint form open when its head is disabled saves nothing.
. "$(dirname "$0")/care_session_fixture.sh"

GATE="站长或管理员：工号和密码"
BOOK="没有意见记录。"
LOCKED="1 分钟无操作已锁定：需要重新输入站长密码"
complaints() { q "$DB" "SELECT count(*) FROM complaints"; }

# --- disabled while logged in: the next F7 is refused and the login ends ---
login H3 246824 孙站长
printf '999999\n' | fc staff disable H3 --as A1 >/dev/null || fail "disable H3"
tui_keys kiosk F7
tui_wait kiosk 10 "孙站长 已停用：已退出登录" || fail "F7 of a disabled head not refused: $(tui_screen kiosk)"
tui_screen kiosk | grep -qF "$BOOK" && fail "the book opened for a disabled head"
[ "$(q "$DB" "SELECT count(*) FROM audit WHERE action = 'logout' AND detail = 'no longer active'")" = 1 ] ||
	fail "the disabled head was not logged out"
tui_keys kiosk F7
tui_wait kiosk 10 "$GATE" || fail "F7 after the refusal does not ask the PIN"
ok "a head disabled while logged in is refused at the next F7 and logged out"
tui_keys kiosk Escape
tui_wait kiosk 10 "请刷客户卡" || fail "gate did not close"

# --- a form open when its head is disabled: the save is refused, nothing stored ---
login H4 357913 周站长
tui_keys kiosk F7
tui_wait kiosk 10 "$BOOK" || fail "book for H4 again"
tui_keys kiosk IC
tui_wait kiosk 10 "新增意见" || fail "no new-complaint form"
tui_keys kiosk Down Down
tui_keys kiosk -l "saved by a disabled head"
tui_wait kiosk 5 "saved by a disabled head" || fail "text not typed"
printf '999999\n' | fc staff disable H4 --as A1 >/dev/null || fail "disable H4"
tui_keys kiosk Enter
tui_wait kiosk 10 "未保存：周站长 已不是在职的站长或管理员" || fail "save of a disabled head not refused: $(tui_screen kiosk)"
[ "$(complaints)" = 0 ] || fail "a complaint was stored under a disabled head"
ok "a save by a head disabled meanwhile is refused, nothing stored"
