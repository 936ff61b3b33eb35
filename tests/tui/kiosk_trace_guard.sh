#!/usr/bin/env bash
# tests/tui/kiosk_trace_guard.sh — FORECOURT_UI_TRACE cannot touch a record:
# pointed at the kiosk's own database (or its -wal/-shm) the kiosk refuses
# it, says so on the screen and keeps the database whole; pointed at a
# trace file it appends its lines.  (A production build also refuses any
# file that is not new or empty: HACKING.md "Test hooks".)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

tui_fixture "$T" sim zh_CN || fail "fixture"
DB=$T/st.db
before=$(sqlite3 "$DB" "SELECT * FROM customers; SELECT * FROM cards" | md5sum)
for target in "$DB" "$DB-wal"; do
	FORECOURT_UI_TRACE=$target kiosk_start k "$T" || fail "kiosk start"
	tui_wait k 15 "FORECOURT_UI_TRACE: $target: that is the database" ||
		fail "trace into $target not refused"
	tui_keys k F1
	tui_wait k 10 "本屏按键" || fail "no help screen"
	kiosk_quit k "$T" || fail "unclean exit"
	rm -f "$T/kiosk.err"
done
[ "$(sqlite3 "$DB" "PRAGMA quick_check")" = ok ] || fail "the database is damaged"
[ "$(sqlite3 "$DB" "SELECT * FROM customers; SELECT * FROM cards" | md5sum)" = "$before" ] ||
	fail "the database changed"
ok "a trace pointed at the database (or its -wal) is refused on screen; the database is whole"

FORECOURT_UI_TRACE=$T/ui.trace kiosk_start k "$T" || fail "kiosk start"
tui_wait k 15 "请刷客户卡" || fail "idle screen not shown"
tui_keys k F1
tui_wait k 10 "本屏按键" || fail "no help screen"
wait_for 30 grep -q '^key ' "$T/ui.trace" || fail "no key line in the trace"
kiosk_quit k "$T" || fail "unclean exit"
ok "a trace file gets the loop's lines"
