#!/usr/bin/env bash
# care_complaint_card.sh — a complaint filed by swiping the customer's card
# on the new-complaint form (pty reader): the form names the customer, the
# complaint row links the customer; an unregistered card is refused with a
# message and the typed form is kept.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"

feed_start "$T" || fail "pty reader"
tui_fixture "$T" "$T/reader" zh_CN || fail "fixture"
printf '[auth]\npepper_file = %s/pepper\n' "$T" >>"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/st.db" "$@"; }
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n135799\n135799\n' | fc staff add H2 赵站长 head --as A1 >/dev/null || fail "head"

kiosk_start k "$T" 100 30 || fail "kiosk"
tui_wait k 20 "F6" || fail "kiosk did not start"
tui_keys k F7
tui_wait k 10 "站长或管理员" || fail "no PIN gate"
tui_keys k -l H2
tui_keys k Tab
tui_keys k -l 135799
tui_keys k Enter
tui_wait k 10 "没有意见记录。" || fail "complaint book not opened"
tui_keys k IC
tui_wait k 10 "新增意见" || fail "no form"
tui_keys k Down Down                # the form opens on the customer's name: to the content
tui_keys k -l "attendant was rude"
swipe "$T" "$CARD_UNKNOWN"
tui_wait k 10 "此卡未登记" || fail "unknown card not refused"
tui_wait k 10 "attendant was rude" || fail "typed content lost"
swipe "$T" "$CARD_DIAMOND"
tui_wait k 10 "顺丰物流车队" || fail "customer not filled from the card"
tui_wait k 5 "S0001-B-LG-000001" || fail "customer code not filled"
tui_keys k Enter
tui_wait k 10 "已保存：意见" || fail "not saved"
[ "$(q "$T/st.db" "SELECT customer_id || '|' || customer_name || '|' || content FROM complaints")" = \
	"1|顺丰物流车队|attendant was rude" ] || fail "complaint row: $(q "$T/st.db" 'SELECT * FROM complaints')"
[ "$(q "$T/st.db" "SELECT json_extract(payload, '\$.data.customer_id') FROM outbox WHERE type = 'complaint'")" = 1 ] ||
	fail "outbox record lacks the customer"
ok "complaint filed by card swipe names customer 1; unknown card refused"

# Escalate it: general -> special needs the approver; then it is saved with a new deadline.
tui_keys k F12
tui_wait k 10 "升级意见" || fail "no escalate form"
tui_keys k -l 2                     # 2 = special
tui_keys k Tab
tui_keys k -l "customer called the paper"
tui_keys k Enter
tui_wait k 10 "未保存：特殊情况须填写“审批人”（审批的上级）" ||
	fail "special without approver not refused"
tui_keys k -l "Branch Manager Sun"      # the refusal moved the focus to the approver
tui_keys k Tab
tui_keys k -l 5
tui_keys k Enter
tui_wait k 10 "升级为特殊" || fail "escalation not confirmed"
[ "$(q "$T/st.db" "SELECT severity || '|' || approved_by FROM complaints")" = "special|Branch Manager Sun" ] ||
	fail "escalation not stored: $(q "$T/st.db" 'SELECT * FROM complaints')"
[ "$(q "$T/st.db" "SELECT count(*) FROM outbox WHERE type = 'complaint_update'
	AND json_extract(payload, '\$.data.kind') = 'escalate'
	AND json_extract(payload, '\$.data.reason') = 'customer called the paper'")" = 1 ] ||
	fail "escalation not queued"
ok "escalated to special with approver and reason, refused without approver"
tui_keys k Escape Escape Escape
kiosk_quit k "$T" || fail "kiosk did not quit cleanly"
