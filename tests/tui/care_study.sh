#!/usr/bin/env bash
# care_study.sh — the monthly study's fields on the kiosk's callback and
# visit report forms (zh_CN, 80x24): "other reason" without its detail is
# refused naming the detail; a detail without a reason is refused naming the
# reason; Backspace clears a chosen reason; the answers are stored on the
# callback / visit report, kept on the customer (the latest wins) and carried
# by the outbox records.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/head_fixture.sh"

export TZ=CST-8
export FORECOURT_NOW=2026-03-12T02:00:00Z   # Thu 03-12 10:00 local
station_init S0001 '[callbacks]' 'other_per_month = 2'
sqlite3 "$DB" "INSERT INTO customers(code, name, nature, tier, stability, phone, created_at, updated_at)
	VALUES ('S0001-I-SV-000001', '李四', 'individual', 'silver', 'lost', '13800001111', 'x', 'x');
	INSERT INTO meta VALUES ('classified_day', '2026-03-12')" || fail "customer"

kiosk_start k "$T" 80 24 || fail "kiosk"
tui_wait k 20 "F6" || fail "kiosk did not start"
head_gate k F8
tui_wait k 10 "待回访：1 位客户" || fail "callbacks list"

# --- a callback with the study: "other reason" needs its detail ---------------
tui_keys k Enter
tui_wait k 10 "回访：S0001-I-SV-000001 李四" || fail "no callback form"
tui_keys k Tab Tab                   # method -> person -> what was said
tui_keys k -l "问了为什么不来加油"
tui_keys k Tab                       # the loss reason
tui_wait k 10 "流失原因" || fail "no loss reason field: $(tui_screen k)"
tui_wait k 10 "（按 1-7 选择）" || fail "the reason's keys are not shown: $(tui_screen k)"
tui_keys k -l 7                      # other reason
tui_wait k 10 "[7 其他原因]" || fail "other reason not chosen: $(tui_screen k)"
tui_keys k Enter
tui_wait k 10 "未保存：原因说明：请说明是什么其他原因" || fail "other reason without its detail not refused"
[ "$(q "$DB" "SELECT count(*) FROM callbacks")" = 0 ] || fail "a refused callback was stored"
ok "'other reason' without its detail refused: 未保存：原因说明：请说明是什么其他原因"
tui_keys k -l "换了单位油卡"         # the focus is on the detail
tui_keys k Tab
tui_keys k -l "中石化5号线加油站"
tui_keys k Tab
tui_keys k -l "每升优惠0.3元"
tui_keys k Tab
tui_keys k -l "给予三个月金级价格"
tui_keys k Tab
tui_keys k -l "王站长"
tui_keys k Enter
tui_wait k 10 "已保存：对 李四" || fail "callback with the study not saved: $(tui_screen k)"
[ "$(q "$DB" "SELECT loss_reason || '|' || loss_reason_text || '|' || current_channel || '|' ||
	competitor_offer || '|' || measures || '|' || responsible FROM callbacks")" = \
	"other|换了单位油卡|中石化5号线加油站|每升优惠0.3元|给予三个月金级价格|王站长" ] ||
	fail "callback row: $(q "$DB" 'SELECT * FROM callbacks')"
[ "$(q "$DB" "SELECT loss_reason || '|' || current_channel || '|' || study_at || '|' ||
	(study_source = (SELECT id FROM callbacks)) FROM customers")" = \
	"other|中石化5号线加油站|2026-03-12T02:00:00Z|1" ] ||
	fail "customer's study: $(q "$DB" 'SELECT loss_reason, current_channel, study_at, study_source FROM customers')"
[ "$(q "$DB" "SELECT json_extract(payload, '$.data.loss_reason') || '|' ||
	json_extract(payload, '$.data.responsible') FROM outbox WHERE type = 'callback'")" = "other|王站长" ] ||
	fail "callback record: $(q "$DB" "SELECT payload FROM outbox WHERE type = 'callback'")"
ok "callback saved with the study on the row, the customer and the record"

# --- a visit report: a detail needs a reason; Backspace clears a reason -------
tui_wait k 10 "待回访：" || fail "back to the list"
tui_keys k End
tui_wait k 10 "走访报告：S0001-I-SV-000001 李四" || fail "no visit report form"
tui_keys k -l 2
tui_keys k Tab
tui_keys k -l 3
tui_keys k Tab
tui_keys k -l 4
# renown -> suggestions, the principal (name, title, phone, mobile), the
# business contact (name, title, phone, mobile), legal person, address,
# market, service feedback, needs, signed/sealed -> loss reason
tui_keys k Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
tui_keys k -l 1                      # price
tui_wait k 10 "[1 价格]" || fail "price not chosen: $(tui_screen k)"
tui_keys k BSpace
tui_gone k "[1 价格]" || fail "Backspace did not clear the reason"
tui_keys k Tab
tui_keys k -l "对手便宜"
tui_keys k Enter
tui_wait k 10 "未保存：流失原因：已填写说明，请选择原因（数字键 1-7）" ||
	fail "a detail without a reason not refused"
tui_keys k -l 1                      # the focus is on the reason
tui_keys k Enter
tui_wait k 10 "已保存：" || fail "visit report with the study not saved: $(tui_screen k)"
[ "$(q "$DB" "SELECT loss_reason || '|' || loss_reason_text || '|' || coalesce(current_channel, '-')
	FROM visit_reports")" = "price|对手便宜|-" ] || fail "visit report row: $(q "$DB" 'SELECT * FROM visit_reports')"
# the latest answers win: the customer's study is the visit report's, whole
[ "$(q "$DB" "SELECT loss_reason || '|' || coalesce(current_channel, '-') || '|' ||
	(study_source = (SELECT id FROM visit_reports)) FROM customers")" = "price|-|1" ] ||
	fail "customer's study after the visit report: $(q "$DB" 'SELECT loss_reason, current_channel, study_source FROM customers')"
[ "$(q "$DB" "SELECT json_extract(payload, '$.data.loss_reason_text') FROM outbox WHERE type = 'visit_report'")" = \
	"对手便宜" ] || fail "visit report record lacks the study"
ok "visit report: a detail without a reason refused, Backspace clears, saved; the customer keeps the latest"

# --- Ctrl-R: the lost customer's row carries the study's latest answers -------
tui_keys k Escape                    # the list, back to the head's gate
tui_wait k 10 "Esc：锁定" || fail "not back at the gate"
tui_keys k Escape                    # lock
tui_wait k 20 "请刷客户卡" || fail "not back at the idle screen"
head_login k
tui_keys k C-r
tui_wait k 20 "月度分析 2026-03" || fail "no monthly analysis"
pos() { tui_screen k | sed -n 3p | grep -oE '[0-9]+-[0-9]+/[0-9]+$'; }
moved() { [ "$(pos)" != "$1" ]; }
for i in $(seq 1 20); do # PgDn until the lost customers' row shows, each page waited for
	tui_screen k | grep -qF "流失原因：" && break
	before=$(pos)
	tui_keys k PageDown
	wait_for 5 moved "$before" || break
done
tui_wait k 10 "流失原因：价格 · 原因说明：对手便宜" || fail "the study is not under the lost customer"
ok "Ctrl-R: the lost customer's row says 流失原因：价格 · 原因说明：对手便宜"
# the reasons split subjective / objective (price: subjective), per tier
for i in $(seq 1 20); do
	tui_screen k | grep -qF "主观原因 1 · 客观原因 0 · 未归类（其他原因） 0" && break
	before=$(pos)
	tui_keys k PageDown
	wait_for 5 moved "$before" || break
done
tui_wait k 10 "主观原因 1 · 客观原因 0 · 未归类（其他原因） 0" ||
	fail "Ctrl-R does not split the reasons subjective / objective: $(tui_screen k)"
ok "Ctrl-R: the tier's reasons split 主观原因 1 · 客观原因 0 · 未归类（其他原因） 0"
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc did not leave the report"
kiosk_quit k "$T" || fail "kiosk did not quit cleanly"
