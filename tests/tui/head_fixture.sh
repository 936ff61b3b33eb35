# head_fixture.sh — the scene of the tmux tests where a station head works
# the kiosk (not a test itself: not executable): the station's config, the
# CLI on it (fc), an admin and a head, and the keys a head types to log in
# or to pass the PIN gate.  Source after tests/lib.sh (and tui/fixture.sh where
# the test wants it).
# shellcheck shell=bash

# The head every test logs in with; the admin that adds the staff.
HEAD_NO=H1 HEAD_NAME=王站长 HEAD_PIN=246824
ADMIN_PIN=999999

DB=$T/st.db
# fc ARGS: the CLI on the test's config and database.
fc() { "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }

# station_conf STATION [LINE...]: $T/fc.conf for STATION in zh_CN with the
# simulated reader and the pepper in $T, then each LINE (more sections).
station_conf() {
	local station=$1
	shift
	cat >"$T/fc.conf" <<CONF
[station]
id = $station
[ui]
locale = zh_CN
[reader]
port = sim
[auth]
pepper_file = $T/pepper
CONF
	[ $# = 0 ] || printf '%s\n' "$@" >>"$T/fc.conf"
}

# station_init STATION [LINE...]: station_conf, the database made (fc init),
# the admin and H1 in it (head_staff).
station_init() {
	station_conf "$@"
	fc init >/dev/null || fail "init"
	head_staff
}

# add_head STAFF_NO NAME PIN: a station head, added by the admin A1.
add_head() {
	printf '%s\n%s\n%s\n' "$ADMIN_PIN" "$3" "$3" | fc staff add "$1" "$2" head --as A1 >/dev/null ||
		fail "head $1"
}
# head_staff: the admin A1 and the head H1 王站长 in $DB.
head_staff() {
	printf '%s\n%s\n' "$ADMIN_PIN" "$ADMIN_PIN" | fc staff add A1 Li admin >/dev/null || fail "admin"
	add_head "$HEAD_NO" "$HEAD_NAME" "$HEAD_PIN"
}

# head_gate SESSION KEY [STAFF_NO PIN]: KEY (F7, F8) asks for a head's PIN;
# type the head's number and PIN (H1's by default) and Enter.  What the
# kiosk shows then is the test's to check.
head_gate() {
	local s=$1 key=$2 no=${3:-$HEAD_NO} pin=${4:-$HEAD_PIN}
	tui_keys "$s" "$key"
	tui_wait "$s" 10 "站长或管理员：工号和密码" || fail "no PIN gate on $key"
	tui_keys "$s" -l "$no"
	tui_keys "$s" Tab
	tui_keys "$s" -l "$pin"
	tui_keys "$s" Enter
}

# head_login SESSION: F6 on the idle screen, H1 logs in.
head_login() {
	local s=$1
	tui_keys "$s" F6
	tui_wait "$s" 10 "上班登录" || fail "no login form"
	tui_keys "$s" -l "$HEAD_NO"
	tui_keys "$s" Tab
	tui_keys "$s" -l "$HEAD_PIN"
	tui_keys "$s" Enter
	tui_wait "$s" 10 "已登录" || fail "login"
}

# head_archive SESSION: H1 logs in and opens Home, the customer archive's
# search.
head_archive() {
	head_login "$1"
	tui_keys "$1" Home
	tui_wait "$1" 10 "查询：" || fail "Home did not open the archive"
}
