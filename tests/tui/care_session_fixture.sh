# care_session_fixture.sh — the scene of the care_session_*.sh tests (not a test
# itself: not executable): station S0042 with [auth] idle_minutes = 1, an admin
# and three heads (H2, H3, H4), the kiosk in tmux with its clock movable
# (mono_advance), and the helpers login, keys_seen, key_taken, complaints.
# Source it from a test instead of tests/lib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

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
