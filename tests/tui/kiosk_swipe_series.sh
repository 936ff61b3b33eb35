#!/usr/bin/env bash
# tests/tui/kiosk_swipe_series.sh — a series of swipes over a real pty,
# alternating two customers' cards: every swipe brings its own customer to
# the screen (none dropped, none taken for a repeat, never the previous
# customer still shown), and looking customers up writes nothing.  How fast
# is for `make bench` (swipe_screen, against an echo floor).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

SWIPES=${KIOSK_SWIPES:-40}
tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
feed_start "$T" || fail "ptyfeed"
before=$(q "$T/st.db" "SELECT (SELECT count(*) FROM visits) || '/' || (SELECT count(*) FROM outbox) || '/' ||
	(SELECT group_concat(points_synced) FROM customers)")
kiosk_start k "$T" 100 30 || fail "start"
tui_wait k 15 "读卡器：已连接" || fail "reader not connected"
# shown NAME OTHER: NAME's customer on screen, OTHER's not.
shown() { local s; s=$(tui_screen k); grep -qF -- "$1" <<<"$s" && ! grep -qF -- "$2" <<<"$s"; }
for i in $(seq 1 "$SWIPES"); do
	if [ $((i % 2)) = 1 ]; then
		card=$CARD_DIAMOND want="顺丰物流车队" other="Li Platinum"
	else
		card=$CARD_PLATINUM want="Li Platinum" other="顺丰物流车队"
	fi
	swipe "$T" "$card"
	wait_for 30 shown "$want" "$other" || { tui_screen k; fail "swipe $i: $want not shown"; }
done
ok "$SWIPES swipes alternating two cards: each one's customer shown in turn"
after=$(q "$T/st.db" "SELECT (SELECT count(*) FROM visits) || '/' || (SELECT count(*) FROM outbox) || '/' ||
	(SELECT group_concat(points_synced) FROM customers)")
[ "$after" = "$before" ] || fail "swipes alone changed the database: $before -> $after (visits/outbox/points)"
ok "no visit, outbox row or points change from swipes alone"
kiosk_quit k "$T" || fail "unclean exit"
