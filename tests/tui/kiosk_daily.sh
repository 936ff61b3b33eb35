#!/usr/bin/env bash
# tests/tui/kiosk_daily.sh — the kiosk runs the daily classification in the
# background when today's is not done: a customer stored as current whose
# last purchase was 40 days ago becomes lost, one of 10 days ago stays
# current, and meta says today is done; the screen stays usable meanwhile.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

tui_fixture "$T" sim zh_CN || fail "fixture"
DB=$T/st.db
ago() { date -u -d "$1 days ago" +%Y-%m-%dT%H:%M:%SZ; }
sqlite3 "$DB" "DELETE FROM meta WHERE key = 'classified_day';
UPDATE customers SET stability = 'current', last_visit_at = '$(ago 40)' WHERE id = 1;
UPDATE customers SET stability = 'current', last_visit_at = '$(ago 10)' WHERE id = 2;" ||
	fail "setup"
classified_today() { [ "$(q "$DB" "SELECT value FROM meta WHERE key = 'classified_day'")" = "$(date +%F)" ]; }
classified_today && fail "classified_day already set before the kiosk ran"
kiosk_start k "$T"
tui_wait k 15 "请刷客户卡" || fail "idle screen not shown"
wait_for 20 classified_today ||
	fail "the daily run did not finish: $(q "$DB" "SELECT * FROM meta WHERE key LIKE 'classif%' OR key = 'last_classify_error'")"
[ "$(q "$DB" "SELECT stability FROM customers WHERE id = 1")" = lost ] || fail "40 days ago is not lost"
[ "$(q "$DB" "SELECT stability FROM customers WHERE id = 2")" = current ] || fail "10 days ago is not current"
ok "kiosk's daily run: 40 days since the last purchase -> lost, 10 days -> current; classified_day = $(date +%F)"
tui_keys k F1
tui_wait k 5 "本屏按键" || fail "help not shown after the daily run"
kiosk_quit k "$T" || fail "unclean exit"
ok "clean exit with the daily thread stopped (no leak)"
fc_status() { "$FC" --config "$T/fc.conf" --db "$DB" outbox status; }
fc_status | grep -qx "classified:    $(date +%F)" || fail "outbox status: $(fc_status)"
fc_status | grep -q "^state: *upload off" || fail "no upload configured, status says: $(fc_status)"

# A chunk that fails: the error is kept and shown, the next success clears it.
sqlite3 "$DB" "DELETE FROM meta WHERE key IN ('classified_day', 'classify_cursor');
UPDATE customers SET stability = 'current' WHERE id = 1;
CREATE TRIGGER no_classify BEFORE UPDATE OF stability ON customers
  BEGIN SELECT RAISE(ABORT, 'disk says no'); END;" || fail "setup of the failing run"
kiosk_start k "$T"
tui_wait k 15 "请刷客户卡" || fail "idle screen not shown (failing run)"
classify_error_shown() { fc_status | grep -q "^classify error: .*disk says no"; }
wait_for 20 classify_error_shown || fail "classify error not shown: $(fc_status)"
kiosk_quit k "$T" || fail "unclean exit (failing run)"
sqlite3 "$DB" "DROP TRIGGER no_classify" || fail "drop trigger"
kiosk_start k "$T"
tui_wait k 15 "请刷客户卡" || fail "idle screen not shown (mended run)"
wait_for 20 classified_today || fail "the mended run did not finish: $(fc_status)"
kiosk_quit k "$T" || fail "unclean exit (mended run)"
fc_status | grep -q "^classify error" && fail "error still shown after a good run: $(fc_status)"
[ "$(q "$DB" "SELECT stability FROM customers WHERE id = 1")" = lost ] || fail "not lost after the mended run"
ok "a failing chunk: 'classify error' in outbox status; gone after the next good run"
