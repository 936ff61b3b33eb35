#!/usr/bin/env bash
# care_idle_lock.sh — a head logged in at the idle screen sees how many
# complaints are overdue; the unlocked complaint book locks again after
# [auth] idle_minutes without a key (1 minute here) and asks for the PIN.
# The minute is not waited out: the kiosk's monotonic clock is moved forward
# through FORECOURT_MONO_OFFSET_FILE, and FORECOURT_UI_TRACE shows when the
# kiosk has looked at the new time (its 1 s tick).
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8
NOW=2026-02-12T02:00:00Z          # Thu 02-12 10:00 local
DB=$T/fc.db
printf '[station]\nid = S0042\n[ui]\nlocale = zh_CN\n[reader]\nport = sim\n[auth]\nidle_minutes = 1\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
fc() { FORECOURT_NOW=$NOW "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n135799\n135799\n' | fc staff add H2 赵站长 head --as A1 >/dev/null || fail "head"
printf '999999\n2222\n2222\n' | fc staff add T1 钱加油 attendant --as A1 >/dev/null || fail "attendant"
# Two general complaints received Mon 02-09: due Tue 02-10, overdue on Thu 02-12.
for c in "油品发票未开" "洗车排队太久"; do
	printf '135799\n' | FORECOURT_NOW=2026-02-09T02:00:00Z "$FC" --config "$T/fc.conf" --db "$DB" \
		complaint add --as H2 "$c" >/dev/null || fail "complaint $c"
done

advance() { mono_advance "$1" || fail "the kiosk did not tick after its clock moved"; }
: >"$T/ui.trace"
tui_start kiosk 100 30 env TZ=CST-8 FORECOURT_NOW=$NOW FORECOURT_LOCALEDIR="$FORECOURT_LOCALEDIR" \
	FORECOURT_MONO_OFFSET_FILE="$T/mono.offset" FORECOURT_UI_TRACE="$T/ui.trace" \
	ASAN_OPTIONS="$ASAN_OPTIONS" "$FC" --config "$T/fc.conf" --db "$DB" kiosk
tui_wait kiosk 20 "F6" || fail "kiosk did not start"

# An attendant at the idle screen is not told; a head is.
login() { # staff pin
	tui_keys kiosk F6
	tui_wait kiosk 10 "上班登录" || fail "no login screen"
	tui_keys kiosk -l "$1"
	tui_keys kiosk Tab
	tui_keys kiosk -l "$2"
	tui_keys kiosk Enter
}
login T1 2222
tui_wait kiosk 10 "已登录：钱加油" || fail "attendant login"
tui_screen kiosk | grep -qF "意见已逾期" && fail "an attendant was shown the overdue count"
tui_keys kiosk F6
tui_wait kiosk 10 "Enter：退出登录" || fail "no logout offer"
bar=$(tui_screen kiosk | tail -1)
case $bar in *Tab*|*保存*) fail "logout offer's key bar shows form keys: $bar" ;; esac
echo "$bar" | grep -qF "F6退出登录" || fail "key bar of a logged-in member does not offer F6 log out: $bar"
ok "logout offer's key bar: $(echo "$bar" | sed 's/  */ /g')"
tui_keys kiosk Enter
tui_wait kiosk 10 "已退出登录" || fail "logout"
tui_screen kiosk | tail -1 | grep -qF "F6登录" || fail "key bar after logout: $(tui_screen kiosk | tail -1)"
login H2 135799
tui_wait kiosk 10 "2 条意见已逾期（F7：意见簿）" || fail "idle screen does not show the overdue count"
ok "the idle screen tells a logged-in head: 2 complaints overdue"

# logged in with F6 as a head: F7 opens the book without asking the PIN again
tui_keys kiosk F7
tui_wait kiosk 10 "洗车排队太久" || fail "complaint book not opened directly for the logged-in head"
tui_screen kiosk | grep -qF "站长或管理员：工号和密码" && fail "the logged-in head was asked for the PIN"
ok "F7 for the head logged in with F6 opens the complaint book directly"
tui_wait kiosk 5 "逾期 " || fail "overdue not marked"
# Half a minute without a key: still open.  A key (Down) then starts the
# minute again: 30 s after it, still open; 61 s after it, locked.
LOCKED="1 分钟无操作已锁定：需要重新输入站长密码"
idle_locks() { q "$DB" "SELECT count(*) FROM audit WHERE action = 'logout' AND detail LIKE 'idle lock%'"; }
unlocked() { # the book on screen, no lock message, no idle-lock logout
	local screen
	screen=$(tui_screen kiosk)
	grep -qF "洗车排队太久" <<<"$screen" && ! grep -qF "$LOCKED" <<<"$screen" && [ "$(idle_locks)" = 0 ]
}
advance 30000
unlocked || fail "locked after 30 s without a key"
trace_keys=$(grep -c '^key ' "$T/ui.trace")
tui_keys kiosk Down
wait_for 30 sh -c '[ "$(grep -c "^key " "$1")" -gt "$2" ]' _ "$T/ui.trace" "$trace_keys" ||
	fail "the kiosk did not take the Down key"
advance 60000
unlocked || fail "locked 30 s after a key"
ok "not locked after 30 s without a key, nor 30 s after the next key"
# No key for a minute: locked, back at the idle screen, the PIN is asked again.
advance 91000
tui_wait kiosk 30 "$LOCKED" || fail "did not lock after 1 idle minute"
tui_screen kiosk | grep -qF "洗车排队太久" && fail "complaints still on screen after the lock"
[ "$(idle_locks)" = 1 ] || fail "the idle lock did not log the head out"
tui_keys kiosk F7
tui_wait kiosk 10 "站长或管理员：工号和密码" || fail "PIN not asked again"
ok "complaint book locked after 1 minute without a key"
