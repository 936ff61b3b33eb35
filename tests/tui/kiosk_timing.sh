#!/usr/bin/env bash
# tests/tui/kiosk_timing.sh — swipe-to-screen time over 100 swipes: from the
# frame written to the pty until tmux shows the new tier banner (includes
# the pty, the decoder, the lookup, the redraw and tmux's capture).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

SWIPES=${KIOSK_TIMING_SWIPES:-100}
tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
feed_start "$T" || fail "ptyfeed"
kiosk_start k "$T" || fail "start"
tui_wait k 15 "读卡器：已连接" || fail "reader not connected"
: >"$T/times"
for i in $(seq 1 "$SWIPES"); do
	if [ $((i % 2)) = 1 ]; then card=$CARD_DIAMOND want="钻级"; else card=$CARD_PLATINUM want="白金级"; fi
	start=$(date +%s%N)
	swipe "$T" "$card"
	deadline=$((start + 5000000000))
	until tmux -L "$TMUX_SOCKET" capture-pane -p -t k | grep -qF "$want"; do
		[ "$(date +%s%N)" -lt "$deadline" ] || fail "swipe $i: $want not shown within 5 s"
	done
	echo $((($(date +%s%N) - start) / 1000)) >>"$T/times"
done
# Baseline of the harness: a key (F1 help / Esc) to the screen, same polling.
: >"$T/keytimes"
for i in $(seq 1 20); do
	if [ $((i % 2)) = 1 ]; then key=F1 want="本屏按键"; else key=Escape want="Esc：下一位客户"; fi
	start=$(date +%s%N)
	tui_keys k "$key"
	deadline=$((start + 5000000000))
	until tmux -L "$TMUX_SOCKET" capture-pane -p -t k | grep -qF "$want"; do
		[ "$(date +%s%N)" -lt "$deadline" ] || fail "key $i: $want not shown within 5 s"
	done
	echo $((($(date +%s%N) - start) / 1000)) >>"$T/keytimes"
done
read -r kmedian kworst < <(sort -n "$T/keytimes" | awk '{ a[NR] = $1 } END { printf "%.1f %.1f\n", a[int((NR + 1) / 2)] / 1000, a[NR] / 1000 }')
echo "# harness baseline, key-to-screen over 20 keys: median $kmedian ms, worst $kworst ms"
read -r median worst < <(sort -n "$T/times" | awk '{ a[NR] = $1 } END { printf "%.1f %.1f\n", a[int((NR + 1) / 2)] / 1000, a[NR] / 1000 }')
echo "# swipe-to-screen over $SWIPES swipes: median $median ms, worst $worst ms"
awk -v w="$worst" 'BEGIN { exit !(w < 1500) }' || fail "worst swipe-to-screen $worst ms (limit 1500 ms)"
ok "swipe-to-screen median $median ms, worst $worst ms"
kiosk_quit k "$T" || fail "unclean exit"
