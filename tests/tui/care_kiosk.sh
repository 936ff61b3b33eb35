#!/usr/bin/env bash
# care_kiosk.sh — the care screens in the real kiosk under tmux: five wrong
# PINs lock a head (the screen says until when), a restart keeps the lock;
# another head unlocks the complaint book, files a major complaint, sees its
# working-day deadline, resolves it; both records are in the outbox.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/head_fixture.sh"

export TZ=CST-8
NOW=2026-02-12T02:00:00Z          # Thu 02-12 10:00 local
fc() { FORECOURT_NOW=$NOW "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
station_init S0042
add_head H2 赵站长 135799
fc holidays load "$FORECOURT_SRC/config/holidays.conf" >/dev/null || fail "holidays"
sqlite3 "$DB" "INSERT INTO customers(code, name, nature, tier, stability, created_at, updated_at)
	VALUES ('C001', '张三运输', 'big', 'ordinary', 'current', 'x', 'x'),
	       ('C002', '李四', 'individual', 'silver', 'swing', 'x', 'x');
	INSERT INTO meta VALUES ('classified_day', '2026-02-12')" # as stored: today's run done

kiosk_start() {
	tui_start kiosk 100 30 env TZ=CST-8 FORECOURT_NOW=$NOW FORECOURT_LOCALEDIR="$FORECOURT_LOCALEDIR" \
		ASAN_OPTIONS="$ASAN_OPTIONS" "$FC" --config "$T/fc.conf" --db "$DB" kiosk
	tui_wait kiosk 20 "F6" || fail "kiosk did not start"
}
kiosk_stop() {
	tui_keys kiosk F10
	wait_for 10 sh -c "! tmux -L '$TMUX_SOCKET' has-session -t kiosk 2>/dev/null" ||
		fail "kiosk did not quit on F10"
}

# --- five wrong PINs lock H1; the message says until when -------------------
kiosk_start
tui_keys kiosk F6
tui_wait kiosk 10 "上班登录：工号和密码" || fail "no login screen"
tui_keys kiosk -l H1
tui_keys kiosk Tab
for i in 1 2 3 4; do
	tui_keys kiosk -l 0000
	tui_keys kiosk Enter
	# counted, and told as a wrong number would be: nothing says H1 exists
	wait_for 10 sh -c '[ "$(sqlite3 "$1" "SELECT failures FROM staff WHERE staff_no = '"'H1'"'")" = "$2" ]' \
		_ "$DB" "$i" || fail "wrong PIN $i not counted"
	tui_wait kiosk 10 "工号或密码错误" || fail "wrong PIN $i not shown"
done
tui_keys kiosk -l 0000
tui_keys kiosk Enter
tui_wait kiosk 10 "密码错误次数过多：H1 已锁定至 2026-02-12 10:30" || fail "no lockout message"
ok "5 wrong PINs lock H1 until 10:30, shown on screen"
tui_keys kiosk Escape
kiosk_stop

# --- a restart keeps the lock, even with the right PIN ----------------------
kiosk_start
tui_keys kiosk F6
tui_wait kiosk 10 "上班登录" || fail "no login screen after restart"
tui_keys kiosk -l H1
tui_keys kiosk Tab
tui_keys kiosk -l 246824
tui_keys kiosk Enter
tui_wait kiosk 10 "H1 已锁定至 2026-02-12 10:30" || fail "the lock did not survive the restart"
ok "after a restart H1 is still locked"
tui_keys kiosk Escape

# --- H2 unlocks the complaint book, files a major complaint, resolves it -----
head_gate kiosk F7 H2 135799
tui_wait kiosk 10 "没有意见记录。" || fail "complaint book not opened"
tui_keys kiosk IC
tui_wait kiosk 10 "新增意见" || fail "no new-complaint form"
tui_keys kiosk Down Down            # the form opens on the customer's name: the content
tui_keys kiosk -l "pump 3 short-changed"
tui_keys kiosk Down Down Down       # content -> category -> channel -> severity
tui_keys kiosk -l 2                  # 2 = major
tui_wait kiosk 5 "[2 重大]" || fail "severity not selected"
tui_keys kiosk Enter
# Thu 02-12 + 3 working days: Fri 13, make-up Sat 14, Spring Festival 15..23, Tue 24.
tui_wait kiosk 10 "2026-02-24" || fail "deadline not shown"
tui_wait kiosk 5 "剩余 12天14小时" || fail "time left not shown"
tui_wait kiosk 5 "pump 3 short-changed" || fail "complaint not listed"
ok "major complaint filed, due 2026-02-24 with 12 d 14 h left"
tui_keys kiosk F11
tui_wait kiosk 10 "办结意见" || fail "no resolve form"
tui_keys kiosk -l "refunded 5 yuan"
tui_keys kiosk Enter
tui_wait kiosk 10 "已办结" || fail "resolve not confirmed"
tui_wait kiosk 5 "没有意见记录。" || fail "resolved complaint still listed as open"
ok "complaint resolved on screen"

# --- callbacks due: C002 (swing, 0/2) first; a callback and a visit report ---
tui_keys kiosk F8
tui_wait kiosk 10 "待回访：2 位客户" || fail "callbacks due not shown"
tui_wait kiosk 5 "2026-02-15（春节）节日将至" || fail "holiday not announced"
tui_screen kiosk | grep -A1 "上次回访" | grep -qF "C002" || fail "C002 (2 behind) is not first"
tui_keys kiosk IC
tui_wait kiosk 10 "回访：C002 李四" || fail "no callback form"
tui_keys kiosk -l 1
tui_keys kiosk Tab
tui_keys kiosk -l "Li Si"
tui_keys kiosk Tab
tui_keys kiosk -l "happy with the new pump"
tui_keys kiosk Enter
tui_wait kiosk 10 "已保存：对 李四 的回访" || fail "callback not saved"
# C002 is now 1/2 behind like C001 (0/1); never called back comes first: C001.
tui_keys kiosk End
tui_wait kiosk 10 "走访报告：C001 张三运输" || fail "no visit report form for C001"
tui_keys kiosk -l 2                  # quality: excellent (90)
tui_keys kiosk Tab
tui_keys kiosk -l 5                  # attitude: poor (30)
tui_keys kiosk Tab
tui_keys kiosk -l 6                  # renown: heard of (60)
tui_keys kiosk Enter
tui_wait kiosk 10 "已保存：张三运输 的走访报告" || fail "visit report not saved"
[ "$(q "$DB" "SELECT quality || ',' || attitude || ',' || renown FROM visit_reports")" = "90,30,60" ] ||
	fail "visit report scores: $(q "$DB" 'SELECT * FROM visit_reports')"
[ "$(q "$DB" "SELECT method || ',' || contact || ',' || notes FROM callbacks")" = "phone,Li Si,happy with the new pump" ] ||
	fail "callback row"
ok "callback and visit report (90/30/60) recorded from the callbacks screen"
tui_keys kiosk Escape Escape
kiosk_stop

h2=$(q "$DB" "SELECT id FROM staff WHERE staff_no = 'H2'")
[ "$(q "$DB" "SELECT severity || '|' || deadline || '|' || status || '|' || result || '|' || staff_id FROM complaints")" = \
	"major|2026-02-24|closed|refunded 5 yuan|$h2" ] || fail "complaint row: $(q "$DB" 'SELECT * FROM complaints')"
[ "$(q "$DB" "SELECT group_concat(type, ',') FROM (SELECT type FROM outbox WHERE type LIKE 'complaint%' ORDER BY seq)")" = \
	"complaint,complaint_update" ] || fail "outbox does not hold both records"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE type = 'complaint_update'
	AND json_extract(payload, '\$.staff') = $h2 AND json_extract(payload, '\$.data.kind') = 'resolve'")" = 1 ] ||
	fail "resolve record does not name H2"
[ "$(q "$DB" "SELECT count(*) FROM audit WHERE action = 'lockout'")" = 1 ] || fail "lockout not audited"
fc audit verify >/dev/null || fail "audit chain broken"
ok "outbox holds the complaint and its resolution by H2; audit chain intact"
