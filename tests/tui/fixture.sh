# tests/tui/fixture.sh — a station database and config for the TUI tests:
# one customer per interesting case (tiers, lost, blocked, unknown card).
# Source after tests/lib.sh; call tui_fixture DIR PORT [LOCALE] [KIOSK].
# shellcheck shell=bash

# Card ids used by the tests (canonical uppercase hex, 10 digits = em4100).
CARD_DIAMOND=0A1B2C3D01   # big, diamond, green lane, 1200 points, current
CARD_IND_SILVER=0A1B2C3D02 # individual silver, no green lane, long Chinese name
CARD_LOST=0A1B2C3D03      # big silver, lost -> won back
CARD_BLOCKED=0A1B2C3D04   # blocked (reported stolen)
CARD_UNKNOWN=0A1B2C3DFF   # not in the database
CARD_PLATINUM=0A1B2C3D05  # individual platinum, green lane
CARD_LONGNAME=0A1B2C3D06  # big gold, a name wider than its column
LONG_NAME=中华人民共和国某某省某某市某某区第一运输集团有限责任公司车队

tui_fixture() { # dir port [locale] [kiosk]
	local dir=$1 port=$2 locale=${3:-zh_CN} kiosk=${4:-no} idle=${5:-600}
	cat >"$dir/fc.conf" <<CONF
[station]
id = S0001
name = 示范加油站
[reader]
port = $port
protocol = em4100
debounce_ms = 0
[ui]
locale = $locale
kiosk = $kiosk
idle_seconds = $idle
[green_lane]
tiers = diamond, gold-big, platinum, gold-individual
pumps = 1, 2
[auth]
pepper_file = $dir/pepper
[fuel]
grades = 92#, 95#, 98#, 0#
price_fen = 760, 812, 900, 735
CONF
	"$FC" --config "$dir/fc.conf" --db "$dir/st.db" init >/dev/null || return 1
	local now="2026-07-01T08:00:00Z"
	sqlite3 "$dir/st.db" <<SQL || return 1
INSERT INTO customers (id, code, name, nature, industry, stability, tier, points_synced,
  points_synced_at, phone, last_visit_at, created_at, updated_at) VALUES
 (1, 'S0001-B-LG-000001', '顺丰物流车队', 'big', 'logistics', 'current', 'diamond', 1200,
  '$now', '13800000001', '2026-06-28T08:00:00Z', '$now', '$now'),
 (2, 'S0001-I-OT-000002', '欧阳建国长名字测试客户', 'individual', 'other', 'current', 'silver', 80,
  '$now', '13800000002', '2026-06-20T08:00:00Z', '$now', '$now'),
 (3, 'S0001-B-TX-000003', '城东出租公司', 'big', 'taxi', 'lost', 'silver', 300,
  '$now', '13800000003', '2026-03-01T08:00:00Z', '$now', '$now'),
 (4, 'S0001-B-PT-000004', '被盗卡单位', 'big', 'passenger', 'current', 'gold', 500,
  '$now', '13800000004', '2026-06-28T08:00:00Z', '$now', '$now'),
 (5, 'S0001-I-OF-000005', 'Li Platinum', 'individual', 'official', 'current', 'platinum', 4000,
  '$now', '13800000005', '2026-06-29T08:00:00Z', '$now', '$now'),
 (6, 'S0001-B-PT-000006', '$LONG_NAME', 'big', 'passenger', 'swing', 'gold', 9,
  '$now', '13800000006', '2026-06-29T08:00:00Z', '$now', '$now');
INSERT INTO cards (card_id, customer_id, kind, status, blocked_reason, updated_at) VALUES
 ('$CARD_DIAMOND', 1, 'unit', 'active', NULL, '$now'),
 ('$CARD_IND_SILVER', 2, 'personal', 'active', NULL, '$now'),
 ('$CARD_LOST', 3, 'unit', 'active', NULL, '$now'),
 ('$CARD_BLOCKED', 4, 'unit', 'blocked', 'reported stolen', '$now'),
 ('$CARD_PLATINUM', 5, 'personal', 'active', NULL, '$now'),
 ('$CARD_LONGNAME', 6, 'unit', 'active', NULL, '$now');
INSERT INTO prices (grade, tier, nature, discount_fen_per_litre, updated_at) VALUES
 ('92#', 'diamond', 'big', 30, '$now'), ('95#', 'diamond', 'big', 25, '$now');
-- the stabilities above are as the tests want them: today's daily
-- classification counts as done (kiosk_daily.sh runs it)
INSERT INTO meta (key, value) VALUES ('classified_day', '$(date +%F)');
SQL
}

# feed_start DIR: a pty reader at DIR/reader fed from the fifo DIR/feed.
feed_start() {
	local dir=$1
	mkfifo "$dir/feed" || return 1
	"$FORECOURT_BUILD/tests/tools/ptyfeed" "$dir/reader" "$dir/feed" >"$dir/feed.out" 2>&1 &
	FEED_PID=$!
	BG_PIDS+=("$FEED_PID")
	wait_for 10 test -L "$dir/reader" || { echo "ptyfeed did not start"; return 1; }
}
# swipe DIR CARD: write one em4100 frame of CARD to the reader's pty.
swipe() { printf 'card %s\n' "$2" >"$1/feed"; }

# kiosk_start NAME DIR [COLS ROWS]: the kiosk on DIR's config and database in
# a tmux session; DIR/kiosk.pid is its pid, DIR/kiosk.status its exit status
# ("137" after kill -9) once it has ended, DIR/kiosk.err its stderr,
# DIR/stty.before and DIR/stty.after the terminal modes around it.
# KIOSK_PRELOAD: LD_PRELOAD for the kiosk alone.
kiosk_start() {
	local name=$1 dir=$2 cols=${3:-80} rows=${4:-24}
	# A session of the same name ends a moment after its kiosk (the shell
	# around it writes the status first): wait until the name is free.
	wait_for 20 sh -c "! tmux -L '$TMUX_SOCKET' has-session -t '=$name' 2>/dev/null" ||
		{ echo "session $name still there"; return 1; }
	rm -f "$dir/kiosk.pid" "$dir/kiosk.status"
	# A session that outlives the kiosks, so the tmux server does not exit
	# (and race the next new-session) when a kiosk's session ends.
	tmux -L "$TMUX_SOCKET" has-session -t hold 2>/dev/null || tui_start hold 20 5 cat
	tui_start "$name" "$cols" "$rows" sh -c "export FORECOURT_LOCALEDIR='$FORECOURT_LOCALEDIR' \
		ASAN_OPTIONS='${ASAN_OPTIONS:-}' UBSAN_OPTIONS='${UBSAN_OPTIONS:-}' \
		FORECOURT_UI_TRACE='${FORECOURT_UI_TRACE:-}' \
		FORECOURT_MONO_OFFSET_FILE='${FORECOURT_MONO_OFFSET_FILE:-}' \
		FORECOURT_LOG_FILE='${FORECOURT_LOG_FILE:-}' \
		FORECOURT_FIT_LOG='${FORECOURT_FIT_LOG:-}'
		stty -a </dev/tty >'$dir/stty.before'
		LD_PRELOAD='${KIOSK_PRELOAD:-}' '$FC' --config '$dir/fc.conf' --db '$dir/st.db' </dev/tty 2>>'$dir/kiosk.err' &
		echo \$! >'$dir/kiosk.pid.tmp' && mv '$dir/kiosk.pid.tmp' '$dir/kiosk.pid'
		wait \$!; echo \$? >'$dir/kiosk.status.tmp'; stty -a </dev/tty >'$dir/stty.after'
		mv '$dir/kiosk.status.tmp' '$dir/kiosk.status'"
	wait_for 10 test -s "$dir/kiosk.pid" || { echo "kiosk did not start"; return 1; }
}
kiosk_pid() { cat "$1/kiosk.pid"; }
# screen_has NAME TEXT: TEXT (fixed string) is on the screen now.
screen_has() { tui_screen "$1" | grep -qF -- "$2"; }

# kiosk_quit NAME DIR: F10, then the kiosk must have exited with 0 and an
# empty stderr (no sanitizer report, no leak).
kiosk_quit() {
	local name=$1 dir=$2
	tui_keys "$name" F10
	kiosk_wait_exit "$dir" || return 1
	local status
	status=$(cat "$dir/kiosk.status")
	[ "$status" = 0 ] || { echo "kiosk exit status $status"; cat "$dir/kiosk.err"; return 1; }
	[ ! -s "$dir/kiosk.err" ] || { echo "kiosk stderr:"; cat "$dir/kiosk.err"; return 1; }
}
# kiosk_wait_exit DIR: until the kiosk has ended (DIR/kiosk.status exists).
kiosk_wait_exit() {
	wait_for 20 test -s "$1/kiosk.status" || { echo "kiosk of $1 did not exit"; return 1; }
}

# screen_check_layout FILE COLS: every line of a captured screen is at most
# COLS display columns wide and every right-column label starts at column
# 41 (0-based): a wide character never spills into the next column.
screen_check_layout() {
	python3 - "$1" "$2" <<'PY'
import sys, unicodedata
path, cols = sys.argv[1], int(sys.argv[2])
labels = ("客户代码：", "行业：", "卡号：", "维护人：", "Customer code:", "Industry:", "Card:", "Maintained by:")
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
bad = 0
for n, line in enumerate(open(path, encoding="utf-8").read().split("\n")):
    if width(line) > cols:
        print("line %d is %d columns wide: %s" % (n, width(line), line)); bad = 1
    if "\ufffd" in line:
        print("line %d has a broken character: %s" % (n, line)); bad = 1
    for lab in labels:
        i = line.find(lab)
        if i > 0 and width(line[:i]) != 41:
            print("line %d: '%s' at column %d, not 41: %s" % (n, lab, width(line[:i]), line)); bad = 1
sys.exit(bad)
PY
}

# drain_kiosk_start RECORDS TIMEOUT_S: the week-long outage scene of
# upload_drain.sh and make bench's key_drain — a station whose head office is
# down (the receiver answers nothing) holding RECORDS pending records, and
# its kiosk started with FORECOURT_UI_TRACE=$T/ui.trace, idle and offline.
# Needs tests/integration/upload_lib.sh sourced too; sets DB.
drain_kiosk_start() {
	local records=$1 timeout_s=$2
	DB=$T/st.db
	tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
	feed_start "$T" || fail "ptyfeed"
	rx_start --mode down
	cat >>"$T/fc.conf" <<CONF
[upload]
url = http://127.0.0.1:$RX_PORT
token_file = $T/token
connect_timeout_s = 1
timeout_s = $timeout_s
backoff_base_ms = 1
backoff_cap_s = 1
CONF
	fill "$records" --customers 500 --start 2026-06-24T00:00:00Z --step-ms 28800
	export FORECOURT_UI_TRACE=$T/ui.trace # the kiosk logs each loop turn
	kiosk_start k "$T" 100 30 || fail "start"
	tui_wait k 15 "请刷客户卡" || fail "idle screen not shown"
	tui_wait k 10 "离线 自" || fail "status bar does not show offline"
}

# msg LOCALE MSGID: MSGID as the kiosk shows it in LOCALE (the built catalogue).
msg() { LANGUAGE=$1 LC_ALL=C.UTF-8 TEXTDOMAINDIR=$FORECOURT_LOCALEDIR gettext -d forecourt -- "$2"; }
# msg_head LOCALE MSGID: its translation up to its first printf directive.
msg_head() { local t; t=$(msg "$1" "$2"); printf '%s' "${t%%%*}"; }
# tui_cursor NAME: "VISIBLE X Y" of the pane's text cursor (tmux; 0-based).
tui_cursor() { tmux -L "$TMUX_SOCKET" display -p -t "$1" '#{cursor_flag} #{cursor_x} #{cursor_y}'; }
# tui_gone NAME TEXT: wait until TEXT (fixed string) is no longer on screen.
tui_gone() { wait_for 30 sh -c "! tmux -L '$TMUX_SOCKET' capture-pane -p -t '$1' | grep -qF -- \"\$1\"" _ "$2"; }
# screen_has_wrapped NAME TEXT: TEXT is on the screen, maybe wrapped over
# rows (at a space, or between two Chinese characters).
screen_has_wrapped() {
	tui_screen "$1" | python3 -c '
import re, sys
rows = [r.rstrip() for r in sys.stdin.read().split("\n")]
want = re.sub(" +", " ", sys.argv[1])
sys.exit(0 if any(want in re.sub(" +", " ", sep.join(rows)) for sep in ("", " ")) else 1)' "$2"
}
