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
