#!/usr/bin/env bash
# care_forms.sh — the care forms as a station head meets them: an empty
# callback is refused naming "what was said" (kiosk and CLI), the F8 list
# shows full codes, cut names and phones at 100 and 80 columns, Esc on a
# changed form asks first, visit report ratings must be chosen, complaints
# open in full on Enter, F12 and refusals speak Chinese, an overdue
# complaint raised to major stays overdue.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/head_fixture.sh"

export TZ=CST-8
export FORECOURT_NOW=2026-03-12T02:00:00Z   # Thu 03-12 10:00 local, no holiday within 7 days
station_init S0001
fc holidays load "$FORECOURT_SRC/config/holidays.conf" >/dev/null || fail "holidays"
sqlite3 "$DB" "INSERT INTO customers(code, name, nature, tier, stability, phone, created_at, updated_at)
	VALUES ('S0001-B-AG-000123', '合川德信农业开发有限公司第二分公司', 'big', 'ordinary', 'current', '023-42751234', 'x', 'x'),
	       ('S0001-B-AG-000124', '合川德信农业开发有限公司', 'big', 'ordinary', 'current', '13800001111', 'x', 'x'),
	       ('S0001-I-SV-000001', '李四', 'individual', 'silver', 'current', '', 'x', 'x');
	INSERT INTO meta VALUES ('classified_day', '2026-03-12')" || fail "customers"
LONG="加油站三号枪计量不准，客户多次反映加满后仪表显示不足，要求复核并退还差价，另外收银员态度冷淡END"
printf '246824\n' | fc complaint add "$LONG" --as H1 --received 2026-03-09T02:00:00Z --name 孙先生 \
	>/dev/null || fail "overdue complaint"
printf '246824\n' | fc complaint add "already special" --as H1 --severity special --approved-by 孙经理 \
	--days 5 >/dev/null || fail "special complaint"

# --- CLI: a callback without what was said is refused with a message --------
out=$(printf '246824\n' | fc callback add S0001-I-SV-000001 --as H1 --method phone 2>&1) &&
	fail "CLI saved a callback without notes"
echo "$out" | grep -qF "notes" || fail "CLI refusal does not name notes: $out"
[ "$(q "$DB" "SELECT count(*) FROM callbacks")" = 0 ] || fail "CLI stored an empty callback"
ok "CLI refuses a callback without notes: $out"

# --- F8 at 100 columns: full codes, names, phone; Enter opens a callback ----
kiosk_start k "$T" 100 30 || fail "kiosk"
tui_wait k 20 "F6" || fail "kiosk did not start"
head_gate k F8
tui_wait k 10 "待回访：3 位客户" || fail "callbacks list"
row=$(tui_screen k | grep -F "S0001-B-AG-000123")
echo "$row" | grep -qE "S0001-B-AG-000123 +合川德信农业开发有限公司第二分公司 +0/1 +从未 +023-42751234" ||
	fail "100-column row: '$row'"
tui_screen k | grep -qE "S0001-B-AG-000124 +合川德信农业开发有限公司 +0/1 +从未 +13800001111" ||
	fail "second row not laid out: $(tui_screen k)"
ok "F8 at 100 columns: '$(echo "$row" | sed 's/  */ /g')'"
tui_keys k F1
tui_wait k 10 "Enter 或 Ins：给所选客户记录一次回访" || fail "F1 on the callbacks list does not explain Enter"
tui_keys k Escape
tui_wait k 10 "待回访：3 位客户" || fail "Esc from help"

# one Enter on a row: a callback form for that customer, and an empty save is refused
tui_keys k Enter
tui_wait k 10 "回访：S0001-" || fail "Enter on a row did not open a callback"
tui_wait k 5 "电话：" || fail "callback form does not show the phone"
tui_keys k Enter
tui_wait k 10 "未保存：请填写“沟通内容”" || fail "empty callback not refused naming the field"
tui_wait k 10 "回访：S0001-" || fail "form not kept after the refusal"
[ "$(q "$DB" "SELECT count(*) FROM callbacks")" = 0 ] || fail "an empty callback was stored"
ok "Enter on an empty callback: '未保存：请填写“沟通内容”', nothing stored"

# --- Esc on a changed form asks; a second Esc discards ----------------------
tui_keys k -l "called"
tui_keys k F10
tui_wait k 10 "有未保存的输入，再按 F10 退出" || fail "F10 on a changed callback form did not ask"
tui_keys k Escape
tui_wait k 10 "有未保存的修改" || fail "Esc discarded a changed form without asking"
tui_wait k 10 "called" || fail "typed text lost after the first Esc"
tui_keys k Escape
tui_wait k 10 "待回访：3 位客户" || fail "second Esc did not go back to the list"
[ "$(q "$DB" "SELECT count(*) FROM callbacks")" = 0 ] || fail "discarded form stored"
ok "Esc on a changed callback form warns; the second Esc discards"

# --- a filled callback is saved ----------------------------------------------
tui_keys k IC
tui_wait k 10 "回访：S0001-" || fail "Ins did not open a callback"
tui_keys k Tab Tab
tui_keys k -l "asked about diesel prices"
tui_keys k Enter
tui_wait k 10 "已保存：对 " || fail "filled callback not saved"
[ "$(q "$DB" "SELECT method || '|' || notes FROM callbacks")" = "phone|asked about diesel prices" ] ||
	fail "callback row: $(q "$DB" 'SELECT * FROM callbacks')"
ok "a callback with what was said is saved"

# --- visit report: ratings start unselected and are required; date checked --
tui_wait k 10 "待回访：2 位客户" || fail "list not reloaded"
tui_keys k Down                      # 李四 (S0001-I-SV-000001)
tui_keys k End
tui_wait k 10 "走访报告：S0001-I-SV-000001 李四" || fail "no visit report form"
tui_screen k | grep -qF "[3 " && fail "a rating is preselected: $(tui_screen k)"
tui_keys k Enter
tui_wait k 10 "未保存：请用数字键选择“产品质量”" || fail "unrated report not refused"
tui_keys k -l 2
tui_keys k Tab
tui_keys k -l 3
tui_keys k Tab
tui_keys k -l 4
tui_keys k Up Up Up                  # renown -> date
tui_keys k BSpace BSpace
tui_keys k -l 99
tui_keys k Enter
tui_wait k 10 "未保存：走访日期：请输入日期，例如 2026-03-12" || fail "bad date not refused"
tui_keys k BSpace BSpace
tui_keys k -l 11
tui_keys k Enter
tui_wait k 10 "已保存：" || fail "visit report not saved"
[ "$(q "$DB" "SELECT report_date || '|' || quality || '|' || attitude || '|' || renown FROM visit_reports")" = \
	"2026-03-11|90|85|80" ] || fail "visit report row: $(q "$DB" 'SELECT * FROM visit_reports')"
tui_wait k 10 "待回访：1 位客户" || fail "the visit report did not count as a callback"
ok "visit report needs all three ratings, checks the date, counts as a callback (1 customer left)"

# --- F7: Enter shows the whole complaint; F12 on special refused at once -----
tui_keys k F7
tui_wait k 10 "意见簿" || fail "complaint book"
tui_wait k 5 "逾期" || fail "overdue complaint not shown"
tui_keys k Enter
tui_wait k 10 "收到时间" || fail "Enter did not open the complaint"
tui_wait k 5 "END" || fail "the complaint text is not shown in full: $(tui_screen k)"
tui_wait k 10 "孙先生" || fail "customer not shown"
ok "Enter on a complaint shows all of it (wrapped to the end)"
tui_keys k Escape
tui_wait k 10 "意见簿" || fail "Esc did not go back"
tui_keys k Down
tui_keys k F12
tui_wait k 10 "已是特殊情况，不能再升级" || fail "F12 on a special complaint not refused at once"
tui_screen k | grep -qF "升级意见" && fail "escalation form opened for a special complaint"
ok "F12 on a special complaint: refused at once in Chinese"

# --- escalating the overdue one to major keeps it overdue --------------------
tui_keys k Up
tui_keys k F12
tui_wait k 10 "升级意见" || fail "no escalation form"
tui_wait k 5 "已逾期：升为重大后仍算逾期" || fail "the form does not say it is overdue"
tui_keys k Tab
tui_keys k -l "customer called again"
tui_keys k Enter
tui_wait k 10 "升级为重大，期限 2026-03-10" || fail "overdue escalation moved the deadline"
tui_wait k 5 "逾期" || fail "not shown overdue after the escalation"
[ "$(q "$DB" "SELECT severity || '|' || deadline FROM complaints WHERE content LIKE '加油站%'")" = \
	"major|2026-03-10" ] || fail "complaint row: $(q "$DB" 'SELECT * FROM complaints')"
ok "overdue complaint raised to major keeps 2026-03-10 and stays overdue"

# --- new complaint: unknown code and too many days refused in Chinese -------
tui_keys k IC
tui_wait k 10 "新增意见" || fail "no new complaint form"
tui_keys k Down Down                 # the form opens on the customer's name: the content
tui_keys k -l "pump 2 leaks"
tui_keys k Up                        # the customer code
tui_keys k -l NOPE-CODE
tui_keys k Enter
tui_wait k 10 "未保存：客户代码：没有编号为 NOPE-CODE 的客户" || fail "unknown code not refused in Chinese"
tui_keys k BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tui_keys k Down Down Down Down       # code -> content -> category -> channel -> severity
tui_keys k -l 3
tui_keys k Down
tui_keys k -l 孙经理
tui_keys k Tab
tui_keys k -l 9
tui_keys k Enter
tui_wait k 10 "未保存：工作日数：特殊情况的期限为 1 至 7 个工作日，不能是 9" ||
	fail "9 working days not refused in Chinese"
tui_screen k | grep -qF "no customer\|special case gets" && fail "English message on screen"
ok "unknown customer code and 9 working days refused in Chinese"
tui_keys k Escape
tui_wait k 10 "有未保存的修改" || fail "Esc on the changed complaint form did not ask"
tui_keys k Escape
tui_wait k 10 "意见簿" || fail "second Esc did not discard"
[ "$(q "$DB" "SELECT count(*) FROM complaints")" = 2 ] || fail "a discarded complaint was stored"
ok "Esc on a changed complaint form asks first, the second discards"
tui_keys k Escape Escape
kiosk_quit k "$T" || fail "kiosk did not quit cleanly"

# --- F8 at 80 columns: names cut with … on a character boundary --------------
kiosk_start k "$T" 80 24 || fail "kiosk at 80"
tui_wait k 20 "F6" || fail "kiosk did not start at 80"
head_gate k F8
tui_wait k 10 "待回访：1 位客户" || fail "callbacks list at 80"
row=$(tui_screen k | grep -F "S0001-B-AG-000")
echo "$row" | grep -qE "S0001-B-AG-00012[34] +合川德信农业开发(有|有限)?… +0/1 +从未 +(023-42751234|13800001111)" ||
	fail "80-column row: '$row'"
ok "F8 at 80 columns: '$(echo "$row" | sed 's/  */ /g')'"
tui_keys k Escape Escape
kiosk_quit k "$T" || fail "kiosk did not quit cleanly at 80"
