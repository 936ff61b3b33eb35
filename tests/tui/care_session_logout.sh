#!/usr/bin/env bash
# care_session_logout.sh — F6 logout with a complaint being written closes
# the complaint book and its form: back at the idle screen, and Enter after
# the logout stores nothing under the head who left; the monthly analysis
# closes the same way.
. "$(dirname "$0")/care_session_fixture.sh"

GATE="站长或管理员：工号和密码"
BOOK="没有意见记录。"
LOCKED="1 分钟无操作已锁定：需要重新输入站长密码"
complaints() { q "$DB" "SELECT count(*) FROM complaints"; }

# --- F6 logout with a complaint being written: the book closes, nothing saved ---
login H4 357913 周站长
tui_keys kiosk F7
tui_wait kiosk 10 "$BOOK" || fail "book for H4"
tui_keys kiosk IC
tui_wait kiosk 10 "新增意见" || fail "no new-complaint form"
tui_keys kiosk Down Down
tui_keys kiosk -l "left before saving"
tui_wait kiosk 5 "left before saving" || fail "text not typed"
tui_keys kiosk F6
tui_wait kiosk 10 "Enter：退出登录" || fail "no logout offer over the form"
tui_keys kiosk Enter
tui_wait kiosk 10 "已退出登录" || fail "logout"
tui_wait kiosk 10 "请刷客户卡" || fail "F6 logout did not return to the idle screen: $(tui_screen kiosk)"
tui_screen kiosk | grep -qF "left before saving" && fail "the form is still on screen after logout"
n=$(keys_seen)
tui_keys kiosk Enter
key_taken "$n"
tui_wait kiosk 10 "请刷客户卡" || fail "Enter after logout left the idle screen"
[ "$(complaints)" = 0 ] || fail "a complaint was stored after the head logged out"
ok "F6 logout closes the complaint book and its form; Enter after it stores nothing"


# --- the monthly analysis is the head's too: F6 logout closes it -------------
login H4 357913 周站长
tui_keys kiosk C-r
tui_wait kiosk 20 "月度分析 2026-02" || fail "no monthly analysis: $(tui_screen kiosk)"
tui_keys kiosk F6
tui_wait kiosk 10 "Enter：退出登录" || fail "no logout offer over the analysis"
tui_keys kiosk Enter
tui_wait kiosk 10 "已退出登录" || fail "logout from the analysis"
tui_wait kiosk 10 "请刷客户卡" || fail "F6 logout left the monthly analysis open: $(tui_screen kiosk)"
tui_screen kiosk | grep -qF "月度分析 2026-02" && fail "the analysis is still on screen after logout: $(tui_screen kiosk)"
ok "F6 logout closes the monthly analysis"
