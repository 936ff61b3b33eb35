#!/usr/bin/env bash
# tests/tui/kiosk_layout.sh — zh_CN and en screens at 80x24: translated
# banners, a too-wide Chinese name cut on a character boundary, columns
# aligned; a bigger terminal and a resize below 80x24 redraw.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

for locale in zh_CN en; do
	d="$T/$locale"; mkdir -p "$d"
	tui_fixture "$d" "$d/reader" "$locale" || fail "fixture"
	feed_start "$d" || fail "ptyfeed"
	kiosk_start "k$locale" "$d"
	if [ "$locale" = zh_CN ]; then
		idle="请刷客户卡" gold="金级" plat="白金级" green="绿色通道" swing="摇摆客户"
	else
		idle="Please swipe the customer's card" gold="Gold" plat="Platinum" green="GREEN LANE" swing="swing customer"
	fi
	tui_wait "k$locale" 15 "$idle" || fail "$locale: idle screen"
	swipe "$d" "$CARD_LONGNAME"
	tui_wait "k$locale" 5 "$swing" || fail "$locale: long-name customer"
	tui_screen "k$locale" >"$T/$locale-longname.txt"
	grep -qF "$gold" "$T/$locale-longname.txt" || fail "$locale: gold banner"
	grep -qF "$green" "$T/$locale-longname.txt" || fail "$locale: green lane for big gold"
	grep -qF "${LONG_NAME:0:10}" "$T/$locale-longname.txt" || fail "$locale: name not shown"
	grep -qF "$LONG_NAME" "$T/$locale-longname.txt" && fail "$locale: a too-wide name was not cut"
	screen_check_layout "$T/$locale-longname.txt" 80 || { cat "$T/$locale-longname.txt"; fail "$locale: layout"; }
	echo "--- $locale 80x24 ---"; cat "$T/$locale-longname.txt"
	swipe "$d" "$CARD_PLATINUM"
	tui_wait "k$locale" 5 "$plat" || fail "$locale: platinum banner"
	tui_screen "k$locale" >"$T/$locale-plat.txt"
	screen_check_layout "$T/$locale-plat.txt" 80 || { cat "$T/$locale-plat.txt"; fail "$locale: layout"; }
	ok "$locale: banners, green lane, long name cut cleanly, columns aligned at 80x24"
done

# Resize: larger redraws to the new width, smaller than 80x24 says so.
tmux -L "$TMUX_SOCKET" resize-window -t kzh_CN -x 120 -y 30
wait_for 5 sh -c "[ \"\$(tmux -L '$TMUX_SOCKET' capture-pane -p -t kzh_CN | tail -n 1 | python3 -c 'import sys; print(len(sys.stdin.read().rstrip(\"\\n\")) > 0)')\" = True ]"
tui_wait kzh_CN 5 "白金级" || fail "redraw after growing"
wait_for 5 sh -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t kzh_CN | head -n 1 | grep -q '^ S0001.\\{80,\\}'" ||
	{ tui_screen kzh_CN; fail "status bar not redrawn at 120 columns"; }
tmux -L "$TMUX_SOCKET" resize-window -t kzh_CN -x 60 -y 20
tui_wait kzh_CN 5 "终端太小：60x20" || fail "no message below 80x24"
tmux -L "$TMUX_SOCKET" resize-window -t kzh_CN -x 80 -y 24
tui_wait kzh_CN 5 "白金级" || fail "no redraw after growing back"
ok "resize: 120x30 redraws, 60x20 says too small, back to 80x24"
kiosk_quit kzh_CN "$T/zh_CN" || fail "zh_CN: unclean exit"
kiosk_quit ken "$T/en" || fail "en: unclean exit"
