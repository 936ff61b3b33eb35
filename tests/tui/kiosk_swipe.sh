#!/usr/bin/env bash
# tests/tui/kiosk_swipe.sh — the attendant's screen end to end: frames on a
# pty reader -> tier banner, green lane, points; a fuelling by keystrokes;
# unknown card registration; blocked card; won back; bad keys.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
printf '[points]\noffline_daily_cap = 1000\n' >>"$T/fc.conf" # a core refusal in Chinese
feed_start "$T" || fail "ptyfeed"
kiosk_start k "$T"
tui_wait k 15 "请刷客户卡" || fail "idle screen not shown"
tui_wait k 5 "读卡器：已连接" || fail "reader state not shown as connected"

# A frame with a bad checksum: a message, no customer shown.
printf 'raw 02 30 41 31 42 32 43 33 44 30 31 46 46 03\n' >"$T/feed"
tui_wait k 5 "请重新刷卡（读卡器：校验错误，数据已丢弃）" || fail "no message for a bad frame: $(tui_screen k)"
screen_has k "钻级" && fail "a bad frame showed a customer"
ok "bad frame: message, nothing shown"

# Diamond big customer: banner, green lane with pumps, points.
swipe "$T" "$CARD_DIAMOND"
tui_wait k 5 "钻级" || fail "diamond banner"
s=$(tui_screen k)
grep -qF "绿色通道 — 专用油枪：1, 2" <<<"$s" || fail "green lane missing: $s"
grep -qF "积分： 1200" <<<"$s" || fail "points missing"
grep -qF "顺丰物流车队" <<<"$s" || fail "name missing"
grep -qF "****3D01" <<<"$s" || fail "masked card missing"
grep -qF "审批优惠（元/升）： 92# -0.30 95# -0.25" <<<"$s" || fail "approved discounts missing: $s"
grep -qF "0A1B2C3D01" <<<"$s" && fail "full card number on screen"
ok "diamond: banner, green lane 1, 2, points 1200, discounts, masked card"

# Bad keys leave a message and store nothing.
tui_keys k x
tui_wait k 5 "油品键为 A-D；升数、金额和油枪只能输入数字" || fail "no message for a bad grade key"
tui_keys k Enter
tui_wait k 5 "先选择油品：按 A-D" || fail "no message for Enter without grade"
# Litres before the grade: no digit is taken as a grade, nothing is typed.
tui_keys k 4 5 . 5 Enter
tui_wait k 5 "先选择油品：按 A-D" || fail "no message for litres typed before the grade"
tui_screen k | grep -qF "5.5" && fail "litres typed before the grade were taken"
[ "$(q "$T/st.db" "SELECT count(*) FROM visits")" = 0 ] || fail "litres before the grade stored a visit"
ok "45.5 Enter before the grade: '先选择油品：按 A-D', no digit taken, nothing stored"
# F1 help of the swipe screen names the grade keys.
tui_keys k F1
tui_wait k 5 "油品键 A-D：A 92#, B 95#, C 98#, D 0#" || fail "help does not name the grade keys"
tui_keys k Escape
tui_wait k 5 "[A] 92#" || fail "Esc from help did not return to the swipe screen"
ok "F1 help names the grade keys A-D"
# Tab cycles litres -> amount -> pump -> litres; no position without a cursor.
tui_keys k b Tab Tab Tab 1 . 2 . 3
tui_wait k 5 "升数：按键无效，只能有一个小数点。按 Bksp 删除" || fail "second '.' not refused"
screen_has k "1.23" && fail "1.2.3 became 1.23"
tui_keys k Enter
tui_wait k 5 "未保存：此栏有被拒绝的按键" || fail "Enter with a refused key saved"
tui_keys k BSpace BSpace BSpace BSpace 9 9 9 9 9 9 9 9
tui_wait k 5 "升数：按键无效，此栏已满" || fail "no 'field full' for too many digits"
tui_keys k BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
wait_for 5 sh -c "! tmux -L '$TMUX_SOCKET' capture-pane -p -t k | grep -qF 9999" || fail "Bksp did not clear the litres"
tui_keys k F9 Enter
tui_wait k 5 "油枪：请输入油枪号 1-99" || fail "Enter in an empty pump field"
tui_keys k 1 Enter
tui_wait k 5 "已设为 1 号油枪。请按油品键（A-D）并输入升数。" || fail "Enter in the pump field: wrong message"
tui_keys k Tab 2 0 0 0 0 Enter          # the core's limit (visit_check), said in Chinese
tui_wait k 5 "未保存：20000 元可加油超过 2000 升（单次加油上限）" || fail "over 2000 litres by amount: $(tui_screen k)"
tui_keys k BSpace BSpace BSpace BSpace BSpace Tab Tab
[ "$(q "$T/st.db" "SELECT count(*) FROM visits")" = 0 ] || fail "bad keys stored a visit"
ok "bad keys: 1.2.3 and too many digits refused with their reason, Enter in the pump field, nothing stored"

# A fuelling in 4 keystrokes after the grade: 95#, 40 litres, Enter.
tui_keys k 4 0 Enter
tui_wait k 5 "已保存 ✓" || fail "not saved"
tui_wait k 10 "积分 +80 = 1280" || fail "points earned not shown"
id=$(q "$T/st.db" "SELECT id FROM visits")
[ -n "$id" ] || fail "no visit row"
[ "$(q "$T/st.db" "SELECT count(*) FROM points_ledger WHERE record_id='$id' AND delta=80")" = 1 ] ||
	fail "points_ledger row missing for $id"
[ "$(q "$T/st.db" "SELECT count(*) FROM outbox WHERE id='$id' AND type='visit'")" = 1 ] ||
	fail "outbox row missing for $id"
[ "$(q "$T/st.db" "SELECT grade || ' ' || volume_ml || ' ' || pump FROM visits")" = "95# 40000 1" ] ||
	fail "visit values: $(q "$T/st.db" "SELECT * FROM visits")"
ok "fuelling 95# 40 L -> visits, points_ledger, outbox share id $id"

# A failing commit: message, values kept, nothing partial; then it saves.
sqlite3 "$T/st.db" "CREATE TRIGGER t_fail BEFORE INSERT ON visits BEGIN SELECT RAISE(ABORT, 'simulated I/O failure'); END;"
tui_keys k a 1 2 5 . 5 Enter
tui_wait k 5 "未保存" || fail "no failure message"
s=$(tui_screen k)
grep -qF "simulated I/O failure" <<<"$s" || fail "failure detail not shown"
grep -qF "125.5" <<<"$s" || fail "entered litres lost after failure"
[ "$(q "$T/st.db" "SELECT count(*) FROM outbox WHERE type='visit'")" = 1 ] || fail "partial outbox row"
[ "$(q "$T/st.db" "SELECT count(*) FROM points_ledger")" = 1 ] || fail "partial ledger row"
sqlite3 "$T/st.db" "DROP TRIGGER t_fail"
tui_keys k Enter
tui_wait k 5 "125.50 升" || fail "retry after the failure did not save"
[ "$(q "$T/st.db" "SELECT count(*) FROM visits")" = 2 ] || fail "retry: visits"
ok "failed commit: message, values kept, nothing partial, retry saves"

# Status bar: the backlog counts the queued records.
pending=$(q "$T/st.db" "SELECT count(*) FROM outbox WHERE state = 'pending'")
[ "$pending" -ge 2 ] || fail "outbox: $pending pending"
tui_wait k 5 "待上传：$pending（最早" || fail "status bar backlog ($pending pending)"
tui_screen k | head -n 2 | grep -qF "离线" || fail "status bar network state"
ok "status bar: offline, backlog $pending ($(q "$T/st.db" "SELECT group_concat(type) FROM outbox")) with the age of the oldest"

# Redeem points from the same screen: over the balance refused, then 500.
tui_keys k F3 9 9 9 9 9 9 Enter
tui_wait k 5 "可用积分只有" || fail "over-balance redemption not refused"
tui_keys k BSpace BSpace BSpace BSpace BSpace BSpace 1 1 0 0 Enter
tui_wait k 5 "未兑换：离线时每位客户每天最多兑换 1000 积分；今天已兑换 0，还可兑换 1000" ||
	fail "offline cap refusal not in Chinese: $(tui_screen k)"
tui_keys k BSpace BSpace BSpace BSpace 5 0 0
tui_wait k 5 "= ¥5.00" || fail "points not shown in yuan"
tui_keys k Enter
tui_wait k 5 "已兑换 ✓  500 积分 = ¥5.00" || fail "redemption not confirmed"
[ "$(q "$T/st.db" "SELECT count(*) FROM points_ledger p JOIN redemptions r ON r.id = p.record_id
	JOIN outbox o ON o.id = r.id WHERE p.delta = -500 AND p.reason = 'redeem'")" = 1 ] ||
	fail "redemption rows: $(q "$T/st.db" "SELECT * FROM points_ledger")"
ok "redeem 500 points = ¥5.00: redemptions, points_ledger, outbox share an id"

# Individual silver: its own banner, nothing green.
tui_keys k Escape
tui_wait k 5 "请刷客户卡" || fail "Esc did not return to idle"
swipe "$T" "$CARD_IND_SILVER"
tui_wait k 5 "白银级" || fail "silver banner"
tui_screen k | grep -qF "绿色通道" && fail "green lane shown for silver"
ok "individual silver: no green lane"

# Lost customer: won back.
swipe "$T" "$CARD_LOST"
tui_wait k 5 "流失客户回归" || fail "won back not shown"
ok "lost customer shows won back"

# Blocked card: red warning, no benefits, event recorded, nothing awarded.
ledger_before=$(q "$T/st.db" "SELECT count(*) FROM points_ledger")
swipe "$T" "$CARD_BLOCKED"
tui_wait k 5 "此卡已停用" || fail "blocked warning"
s=$(tui_screen k)
grep -qF "积分" <<<"$s" && fail "points shown for a blocked card"
grep -qF "绿色通道" <<<"$s" && fail "green lane shown for a blocked card"
tui_keys k a 4 0 Enter
[ "$(q "$T/st.db" "SELECT count(*) FROM outbox WHERE type='blocked_card_seen'")" = 1 ] ||
	fail "blocked_card_seen not recorded"
[ "$(q "$T/st.db" "SELECT count(*) FROM points_ledger")" = "$ledger_before" ] || fail "blocked card earned points"
[ "$(q "$T/st.db" "SELECT count(*) FROM points_ledger WHERE customer_id = 4")" = 0 ] || fail "blocked customer has ledger rows"
[ "$(q "$T/st.db" "SELECT count(*) FROM visits")" = 2 ] || fail "blocked card recorded a visit"
ok "blocked card: warning, event recorded, nothing awarded"

# Head office changes a card a moment after it was shown (another process
# writes the database): the next swipe shows the new tier at once, then the
# card blocked — the decision read from the card's row is never stale.
tui_keys k Escape
tui_wait k 5 "请刷客户卡" || fail "Esc did not return to idle"
q "$T/st.db" "UPDATE customers SET tier = 'platinum', tier_source = 'hq' WHERE id = 2"
swipe "$T" "$CARD_IND_SILVER"
tui_wait k 5 "白金级" || fail "the tier head office changed is not shown: $(tui_screen k)"
tui_wait k 5 "绿色通道" || fail "platinum without its green lane: $(tui_screen k)"
screen_has k "白银级" && fail "the old tier still shown"
tui_keys k Escape
tui_wait k 5 "请刷客户卡" || fail "Esc did not return to idle"
q "$T/st.db" "UPDATE cards SET status = 'blocked', blocked_reason = '挂失' WHERE card_id = '$CARD_IND_SILVER'"
swipe "$T" "$CARD_IND_SILVER"
tui_wait k 5 "此卡已停用" || fail "a card blocked a moment ago is not shown blocked: $(tui_screen k)"
tui_wait k 5 "挂失" || fail "the reason of the block is not shown"
screen_has k "绿色通道" && fail "green lane shown for a card blocked a moment ago"
wait_for 10 sh -c "[ \"\$(sqlite3 '$T/st.db' \"SELECT count(*) FROM outbox WHERE type='blocked_card_seen'\")\" = 2 ]" ||
	fail "the swipe of the card blocked a moment ago was not recorded"
ok "head office's tier change and block of a card shown at the next swipe"
tui_keys k Escape

# A blocked card and another card read in one turn of the kiosk (one write
# on the reader's line): the second card is shown, the blocked card's swipe
# is still recorded for head office.
frame() { # em4100 frame of a 10-hex-digit id, as the bytes ptyfeed's raw takes
	local id=$1 sum=0 txt out="02" i
	for i in 0 2 4 6 8; do sum=$((sum ^ 16#${id:$i:2})); done
	txt=$(printf '%s%02X' "$id" "$sum")
	for ((i = 0; i < ${#txt}; i++)); do out+=" $(printf '%02x' "'${txt:$i:1}")"; done
	echo "$out 03"
}
tui_wait k 5 "请刷客户卡" || fail "Esc did not return to idle"
printf 'raw %s %s\n' "$(frame "$CARD_BLOCKED")" "$(frame "$CARD_DIAMOND")" >"$T/feed"
tui_wait k 5 "钻级" || fail "the second card of one read not shown: $(tui_screen k)"
wait_for 10 sh -c "[ \"\$(sqlite3 '$T/st.db' \"SELECT count(*) FROM outbox WHERE type='blocked_card_seen'\")\" = 3 ]" ||
	fail "a blocked card followed at once by another was not recorded: $(q "$T/st.db" "SELECT count(*) FROM outbox WHERE type='blocked_card_seen'")"
ok "a blocked card and another read in one turn: the other shown, the blocked swipe recorded"
tui_keys k Escape

# Unknown card: register on the spot (Chinese name typed), then fuel.
swipe "$T" "$CARD_UNKNOWN"
tui_wait k 5 "未注册卡" || fail "unknown card"
tui_keys k F4
tui_wait k 5 "登记新客户" || fail "registration form"
tui_keys k Enter
tui_wait k 5 "未登记：请填写“名称”" || fail "empty name accepted"
tui_keys k -l "王小明"
tui_keys k Tab
tui_keys k -l "139-0000-0009"
tui_keys k Tab
tui_keys k -l "京A12345"
tui_keys k Tab 2 Tab 3 Enter
tui_wait k 5 "已登记 ✓" || fail "registration not confirmed"
tui_wait k 5 "潜在客户" || fail "new customer not shown as potential"
[ "$(q "$T/st.db" "SELECT name || '|' || phone || '|' || plate || '|' || nature || '|' || industry FROM customers c JOIN cards k ON k.customer_id = c.id WHERE k.card_id = '$CARD_UNKNOWN'")" = \
	"王小明|139-0000-0009|京A12345|individual|taxi" ] ||
	fail "registered customer row: $(q "$T/st.db" "SELECT * FROM customers WHERE name = '王小明'")"
[ "$(q "$T/st.db" "SELECT count(*) FROM outbox WHERE type='customer_registered'")" = 1 ] || fail "registration not queued"
tui_keys k a 2 0 Enter
tui_wait k 5 "已保存 ✓" || fail "fuelling of the new customer"
ok "unknown card registered (王小明) and fuelled"

# Another pump (F9): saved with it, and it is the next swipe's default.
tui_keys k F9 3 Enter
tui_wait k 5 "已设为 3 号油枪" || fail "Enter in the pump field"
tui_keys k a 1 1 0 Enter
tui_wait k 5 "3 号枪" || fail "visit at pump 3 not saved"
[ "$(q "$T/st.db" "SELECT value FROM meta WHERE key LIKE 'ui_last_pump:%'")" = 3 ] ||
	fail "last pump of this terminal not kept"
ok "F9 pump 3: saved with pump 3, kept as this terminal's default"

# Anonymous visit from the idle screen.
tui_keys k Escape F5
tui_wait k 5 "无卡加油" || fail "anonymous form"
tui_wait k 10 "油枪：  3" || fail "pump 3 is not the default of the next fuelling"
tui_keys k d Tab 2 0 0 Enter
tui_wait k 5 "已保存 ✓" || fail "anonymous visit"
[ "$(q "$T/st.db" "SELECT count(*) FROM visits WHERE customer_id IS NULL AND amount_fen = 20000")" = 1 ] ||
	fail "anonymous visit row: $(q "$T/st.db" "SELECT * FROM visits")"
[ "$(q "$T/st.db" "SELECT pump FROM visits WHERE customer_id IS NULL")" = 3 ] || fail "anonymous visit not at pump 3"
ok "anonymous visit by amount (¥200)"
tui_keys k Escape
tui_wait k 5 "请刷客户卡" || fail "Esc did not return to idle"
kiosk_quit k "$T" || fail "unclean exit"
ok "F10 quits with status 0 and a clean stderr (no sanitizer report)"
