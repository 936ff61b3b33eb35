#!/usr/bin/env bash
# care_session_logout.sh — F6 logout with a complaint being written closes
# the complaint book and its form: back at the idle screen, and Enter after
# the logout stores nothing under the head who left; the monthly analysis
# closes the same way.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8
NOW=2026-02-12T02:00:00Z          # Thu 02-12 10:00 local
DB=$T/fc.db
printf '[station]\nid = S0042\n[ui]\nlocale = zh_CN\n[reader]\nport = sim\n[auth]\nidle_minutes = 1\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
fc() { FORECOURT_NOW=$NOW "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n135799\n135799\n' | fc staff add H2 赵站长 head --as A1 >/dev/null || fail "head"
printf '999999\n246824\n246824\n' | fc staff add H3 孙站长 head --as A1 >/dev/null || fail "head 2"
printf '999999\n357913\n357913\n' | fc staff add H4 周站长 head --as A1 >/dev/null || fail "head 3"

advance() { mono_advance "$1" || fail "the kiosk did not tick after its clock moved"; }
: >"$T/ui.trace"
tui_start kiosk 100 30 env TZ=CST-8 FORECOURT_NOW=$NOW FORECOURT_LOCALEDIR="$FORECOURT_LOCALEDIR" \
	FORECOURT_MONO_OFFSET_FILE="$T/mono.offset" FORECOURT_UI_TRACE="$T/ui.trace" \
	ASAN_OPTIONS="$ASAN_OPTIONS" "$FC" --config "$T/fc.conf" --db "$DB" kiosk
tui_wait kiosk 20 "F6" || fail "kiosk did not start"

login() { # staff pin name
	tui_keys kiosk F6
	tui_wait kiosk 10 "上班登录" || fail "no login screen"
	tui_keys kiosk -l "$1"
	tui_keys kiosk Tab
	tui_keys kiosk -l "$2"
	tui_keys kiosk Enter
	tui_wait kiosk 10 "已登录：$3" || fail "login of $1"
}
keys_seen() { grep -c '^key ' "$T/ui.trace"; }
key_taken() { # count before: wait until the kiosk took a key
	wait_for 30 sh -c '[ "$(grep -c "^key " "$1")" -gt "$2" ]' _ "$T/ui.trace" "$1" ||
		fail "the kiosk did not take the key"
}
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
