#!/usr/bin/env bash
# care_rating.sh — with [ui] ask_rating = yes, a fuelling is followed by the
# one-key satisfaction rating: 4 is stored as feedback linked to the visit
# and queued for upload; a wrong key says what to press; Esc skips.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

tui_fixture "$T" sim zh_CN || fail "fixture"
sed -i 's/^idle_seconds = .*/&\nask_rating = yes/' "$T/fc.conf"
tui_start k 100 30 env FORECOURT_LOCALEDIR="$FORECOURT_LOCALEDIR" ASAN_OPTIONS="$ASAN_OPTIONS" \
	"$FC" --config "$T/fc.conf" --db "$T/st.db" kiosk
tui_wait k 20 "F5" || fail "kiosk did not start"

tui_keys k F5
tui_wait k 5 "油品" || fail "no fuelling form"
tui_keys k a 4 0 Enter             # 92#, 40 litres
tui_wait k 10 "客户满意吗？请按 1 到 5" || fail "no rating prompt after the fuelling"
tui_keys k x
tui_wait k 5 "请按 1 到 5，或按 Esc 跳过" || fail "no message for a wrong key"
tui_keys k 4
tui_wait k 5 "谢谢：评价 4 已保存" || fail "rating not confirmed"
visit=$(q "$T/st.db" "SELECT id FROM visits")
[ -n "$visit" ] || fail "no visit stored"
[ "$(q "$T/st.db" "SELECT rating || '|' || visit_id FROM feedback")" = "4|$visit" ] ||
	fail "feedback row: $(q "$T/st.db" 'SELECT * FROM feedback')"
[ "$(q "$T/st.db" "SELECT count(*) FROM outbox WHERE type = 'feedback'
	AND json_extract(payload, '\$.data.visit_id') = '$visit'
	AND json_extract(payload, '\$.data.rating') = 4")" = 1 ] || fail "feedback not in the outbox"
ok "rating 4 stored with the visit and queued"

tui_keys k a 2 0 Enter             # a second fuelling, rating skipped
tui_wait k 10 "客户满意吗" || fail "no rating prompt for the second fuelling"
tui_keys k Escape
wait_for 5 sh -c "! tmux -L '$TMUX_SOCKET' capture-pane -p -t k | grep -qF '客户满意吗'" ||
	fail "Esc did not skip the rating"
[ "$(q "$T/st.db" "SELECT count(*) FROM visits")" = 2 ] || fail "second visit not stored"
[ "$(q "$T/st.db" "SELECT count(*) FROM feedback")" = 1 ] || fail "a skipped rating was stored"
ok "Esc skips the rating"
