#!/usr/bin/env bash
# tests/tui/kiosk_crash.sh — kill -9 of the kiosk right after "Saved ✓"
# appears, KIOSK_CRASH_ROUNDS times (default 15; more for a soak): every
# acknowledged visit is in the database after the restart, with its ledger
# and outbox rows.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

ROUNDS=${KIOSK_CRASH_ROUNDS:-15}
tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
feed_start "$T" || fail "ptyfeed"
for i in $(seq 1 "$ROUNDS"); do
	kiosk_start "c$i" "$T" || fail "round $i: start"
	tui_wait "c$i" 15 "读卡器：已连接" ||
		fail "round $i: idle screen with the reader connected; status $(cat "$T/kiosk.status" 2>/dev/null) stderr $(cat "$T/kiosk.err")"
	swipe "$T" "$CARD_PLATINUM"
	tui_wait "c$i" 5 "白金级" || fail "round $i: swipe"
	tui_keys "c$i" c 1 0 Enter
	tui_wait "c$i" 5 "已保存 ✓" || fail "round $i: not saved"
	kill -9 "$(kiosk_pid "$T")"
	kiosk_wait_exit "$T" || fail "round $i: kiosk survived kill -9"
	[ "$(cat "$T/kiosk.status")" = 137 ] || fail "round $i: exit status $(cat "$T/kiosk.status")"
	n=$(q "$T/st.db" "SELECT count(*) FROM visits v JOIN points_ledger p ON p.record_id = v.id
		JOIN outbox o ON o.id = v.id")
	[ "$n" = "$i" ] || fail "round $i: $n visits with ledger and outbox rows after kill -9"
done
ok "$ROUNDS kills right after Saved ✓: $ROUNDS visits, each with ledger and outbox rows"
[ "$(q "$T/st.db" "PRAGMA integrity_check")" = ok ] || fail "integrity_check"
kiosk_start last "$T" || fail "restart"
tui_wait last 15 "读卡器：已连接" || fail "restart: reader"
swipe "$T" "$CARD_PLATINUM"
tui_wait last 15 "积分： $((4000 + ROUNDS * 20))" || fail "balance after the restarts"
ok "restart shows the balance of all $ROUNDS visits"
kiosk_quit last "$T" || fail "unclean exit"
