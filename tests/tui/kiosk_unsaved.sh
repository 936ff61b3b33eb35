#!/usr/bin/env bash
# tests/tui/kiosk_unsaved.sh — what the loop does for a new attendant: unsaved input survives a
# swipe and F10 asks first; keys are ignored while the terminal is too small (a card swiped
# meanwhile is shown once it is big enough); a blocked card
# still sells fuel (F5); an old message does not follow onto the next screen.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
fc() { "$FC" --config "$T/fc.conf" --db "$T/st.db" "$@"; }
printf '999999\n999999\n' | fc staff add A1 管理员甲 admin >/dev/null || fail "staff add admin"
printf '999999\n246824\n246824\n' | fc staff add H1 王站长 head --as A1 >/dev/null || fail "staff add head"
feed_start "$T" || fail "ptyfeed"
kiosk_start k "$T"
tui_wait k 15 "请刷客户卡" || fail "idle screen not shown"
tui_wait k 5 "读卡器：已连接" || fail "reader not connected"
gone() { wait_for 5 sh -c "! tmux -L '$TMUX_SOCKET' capture-pane -p -t k | grep -qF -- \"\$1\"" _ "$1"; }

# An old message is cleared by the screen change; the one of the action that changed it stays.
tui_keys k F3
tui_wait k 5 "此处不能使用 F3" || fail "no message for F3 on the idle screen"
tui_keys k F6
tui_wait k 5 "上班登录" || fail "no login form"
screen_has k "此处不能使用 F3" && fail "the F3 message followed onto the login screen"
tui_keys k -l H1
tui_keys k Tab
tui_keys k -l 246824
tui_keys k Enter
tui_wait k 5 "已登录：王站长" || fail "the login's own message did not stay after the screen closed"
tui_wait k 5 "请刷客户卡" || fail "login did not return to the idle screen"
ok "flash: 'F3 not here' gone on the login screen, '已登录' kept after it"

# Card A with typed litres, then card B: A and its 30 L stay, a message says why.
swipe "$T" "$CARD_DIAMOND"
tui_wait k 5 "钻级" || fail "diamond not shown"
tui_keys k a 3 0
tui_wait k 5 "30_" || fail "litres not typed"
swipe "$T" "$CARD_IND_SILVER"
tui_wait k 5 "有未保存的输入：先按 Enter 保存或 Esc 放弃，然后再刷卡" || fail "no message for a swipe over unsaved input"
s=$(tui_screen k)
grep -qF "钻级" <<<"$s" || fail "card A was replaced: $s"
grep -qF "30_" <<<"$s" || fail "A's 30 L were lost: $s"
grep -qF "白银级" <<<"$s" && fail "card B shown over unsaved input"
tui_keys k Enter
tui_wait k 5 "已保存 ✓  92#  30.00 升" || fail "A's fuelling not saved after the refused swipe"
[ "$(q "$T/st.db" "SELECT count(*) FROM visits WHERE customer_id = 1 AND volume_ml = 30000")" = 1 ] ||
	fail "A's visit: $(q "$T/st.db" "SELECT * FROM visits")"
swipe "$T" "$CARD_IND_SILVER"
tui_wait k 5 "白银级" || fail "B not shown after A was saved"
ok "swipe over A's unsaved 30 L refused with a message; Enter saved A (30 L); B's swipe then shown"

# A customer card being edited (Home) is not thrown away by a swipe either.
tui_keys k Escape Home
tui_wait k 5 "客户档案" || fail "Home did not open the archive"
tui_keys k -l "顺丰"
tui_wait k 5 "S0001-B-LG-000001" || fail "search did not find 顺丰"
tui_keys k Enter
tui_wait k 5 "客户档案卡 S0001-B-LG-000001" || fail "customer card not opened"
tui_keys k Down Down
tui_keys k -l 7
swipe "$T" "$CARD_IND_SILVER"
tui_wait k 5 "有未保存的输入：先按 Enter 保存或 Esc 放弃，然后再刷卡" || fail "no message for a swipe over a card edit"
tui_wait k 10 "客户档案卡 S0001-B-LG-000001" || fail "the card edit was closed by the swipe"
screen_has k "白银级" && fail "the swipe was shown over the card edit"
tui_keys k Escape Escape Escape
tui_wait k 5 "请刷客户卡" || fail "Esc did not leave the archive"
[ "$(q "$T/st.db" "SELECT phone FROM customers WHERE id = 1")" = 13800000001 ] || fail "phone changed without a save"
ok "swipe over an unsaved customer-card edit refused with a message, the edit kept until Esc"

# A blocked card: no benefits, but fuel is still sold (F5).
ledger=$(q "$T/st.db" "SELECT count(*) FROM points_ledger")
swipe "$T" "$CARD_BLOCKED"
tui_wait k 5 "此卡已停用" || fail "blocked warning"
tui_wait k 5 "F5：无卡加油（不享受优惠）" || fail "the blocked screen does not offer F5"
tui_keys k F5
tui_wait k 5 "无卡加油" || fail "F5 on the blocked card did not open the fuelling"
tui_keys k a 1 0 Enter
tui_wait k 5 "已保存 ✓  92#  10.00 升" || fail "anonymous fuelling after a blocked card not saved"
[ "$(q "$T/st.db" "SELECT count(*) FROM visits WHERE customer_id IS NULL AND volume_ml = 10000")" = 1 ] ||
	fail "anonymous visit: $(q "$T/st.db" "SELECT * FROM visits")"
[ "$(q "$T/st.db" "SELECT count(*) FROM points_ledger")" = "$ledger" ] || fail "points after a blocked card"
[ "$(q "$T/st.db" "SELECT count(*) FROM outbox WHERE type = 'blocked_card_seen'")" = 1 ] || fail "blocked event not recorded"
ok "blocked card: F5 sells 10 L without a customer, no points, the event recorded"

# Too small: keys are ignored (and the screen says so); a swipe is kept and
# shown once the window is big enough again.
tui_keys k Escape
tui_wait k 5 "请刷客户卡" || fail "Esc did not return to idle"
tmux -L "$TMUX_SOCKET" resize-window -t k -x 60 -y 20
tui_wait k 5 "终端太小" || fail "no too-small message"
tui_wait k 5 "窗口放大之前，按键无效" || fail "the too-small message does not say keys are ignored"
tui_keys k F5
tui_keys k F1
tui_keys k F10
swipe "$T" "$CARD_DIAMOND"
tui_wait k 5 "已读到一张卡：窗口足够大后显示。" || fail "no message for a swipe while too small"
tmux -L "$TMUX_SOCKET" resize-window -t k -x 80 -y 24
tui_wait k 5 "钻级" || fail "the card read while too small not shown after the resize"
s=$(tui_screen k)
grep -qF "无卡加油（" <<<"$s" || grep -qF "本屏按键" <<<"$s" &&
	fail "keys acted on while too small: $s"
[ -e "$T/kiosk.status" ] && fail "F10 quit while the terminal was too small"
tui_keys k Escape
tui_wait k 5 "请刷客户卡" || fail "Esc did not return to idle"
ok "too small: F5 F1 F10 ignored, the swipe kept and shown after the resize"

# F10 with typed litres asks first; another key disarms it; the second F10 quits.
swipe "$T" "$CARD_IND_SILVER"
tui_wait k 5 "白银级" || fail "silver not shown"
tui_keys k b 2 5
tui_wait k 5 "25_" || fail "litres not typed"
tui_keys k F10
tui_wait k 5 "有未保存的输入，再按 F10 退出" || fail "F10 quit over unsaved input"
tui_keys k BSpace
gone "再按 F10 退出" || fail "the question stayed after another key"
tui_keys k F10
tui_wait k 5 "有未保存的输入，再按 F10 退出" || fail "F10 after another key did not ask again"
[ -e "$T/kiosk.status" ] && fail "kiosk quit on the first F10"
kiosk_quit k "$T" || fail "second F10 did not quit cleanly"
[ "$(q "$T/st.db" "SELECT count(*) FROM visits WHERE customer_id = 2")" = 0 ] || fail "unsaved litres stored"
ok "F10 over unsaved litres asks, a key disarms it, the second F10 quits (status 0, clean stderr)"
