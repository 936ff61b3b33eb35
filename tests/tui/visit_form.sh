#!/usr/bin/env bash
# visit_form.sh — the visit-report form 走访报告 (issue 16) at 80x24 in the
# real kiosk: F8, End on a customer, the three ratings, then both contacts
# (主要负责人, 业务主办: name, title, phone, mobile), the unit's legal person
# and address, market / service feedback / needs and the sign-off, on a form
# that scrolls; F1 explains it; a too-short mobile and a blank-only text are
# refused naming the field; the saved row and its outbox record hold both
# contacts.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/head_fixture.sh"

export TZ=CST-8
export FORECOURT_NOW=2026-03-12T02:00:00Z   # Thu 03-12 10:00 local
station_init S0001
sqlite3 "$DB" "INSERT INTO customers(code, name, nature, tier, stability, phone, created_at, updated_at)
	VALUES ('S0001-B-LG-000007', '缙云物流', 'big', 'ordinary', 'current', '023-42751234', 'x', 'x');
	INSERT INTO meta VALUES ('classified_day', '2026-03-12')" || fail "customer"

kiosk_start k "$T" 80 24 || fail "kiosk"
tui_wait k 20 "F6" || fail "kiosk did not start"
head_gate k F8
tui_wait k 10 "待回访：1 位客户" || fail "callbacks list: $(tui_screen k)"
tui_keys k End
tui_wait k 10 "走访报告：S0001-B-LG-000007 缙云物流" || fail "no visit report form"
tui_keys k F1
tui_wait k 10 "主要负责人和业务主办" || fail "F1 does not explain the form: $(tui_screen k)"
# the whole note fits the help (its last line, the monthly study's, ends
# with "Ctrl-R"; wrapped lines joined, spaces dropped)
wait_for 10 sh -c 'tmux -L "$1" capture-pane -p -t k | tr -d " \n" | grep -qF "最新的回答记在客户档案上并进入每月总结（Ctrl-R）"' _ "$TMUX_SOCKET" ||
	fail "F1 cuts the visit form's note before its monthly-study line: $(tui_screen k)"
tui_keys k Escape
tui_wait k 10 "走访报告：S0001-B-LG-000007" || fail "Esc from help"

# field: label, wait until the focused row (">") shows label, then type text
field() { # label text
	tui_keys k Tab
	# the focused row starts with ">" (then "↑"/"↓" where the form scrolls)
	wait_for 30 sh -c 'tmux -L "$1" capture-pane -p -t k | grep -qE -- "^ *>[ ↑↓]$2 "' _ "$TMUX_SOCKET" "$1" ||
		fail "focus did not reach $1: $(tui_screen k)"
	[ -z "$2" ] || tui_keys k -l "$2"
}
tui_keys k -l 2                          # quality: excellent (90)
tui_keys k Tab
tui_keys k -l 3                          # attitude: good (85)
tui_keys k Tab
tui_keys k -l 4                          # renown: fairly high (80)
field 意见建议 "增加夜间窗口"
field 主要负责人 张总
field 负责人职务 总经理
field 负责人电话 "023-6123 4567"
field 负责人手机 13900000001
field 业务主办 李主办
field 主办职务 车队调度
field 主办电话 023-61230000
field 主办手机 12
tui_keys k Enter
tui_wait k 10 "未保存：主办手机：电话号码为 3 到 20 位数字" || fail "a 2-digit mobile not refused: $(tui_screen k)"
tui_screen k | grep -qE "^ *>[ ↑↓]主办手机 " || fail "focus not on the refused mobile: $(tui_screen k)"
tui_keys k BSpace BSpace
tui_keys k -l "+86 139 0000 0002"
field 法人代表 张法人
field 单位地址 "北碚区缙云路 1 号"
field 市场情况 "车队扩大到 13 辆"
field 服务反馈 开票慢
field 客户需求 "   "
tui_keys k Enter
tui_wait k 10 "未保存：客户需求：只有空白" || fail "blank needs not refused: $(tui_screen k)"
tui_keys k BSpace BSpace BSpace
tui_keys k -l "月度台账"
field 签字盖章 ""
tui_keys k -l 4                          # signed and sealed
tui_wait k 10 "已签字并盖章" || fail "sign-off choices not shown"
# the form scrolled: the title stays, the ratings are above the window now
tui_screen k | head -3 | grep -qF "走访报告：S0001-B-LG-000007" || fail "title scrolled away: $(tui_screen k)"
[ "$(q "$DB" "SELECT count(*) FROM visit_reports")" = 0 ] || fail "a refused form was stored"
tui_keys k Enter
tui_wait k 10 "已保存：缙云物流 的走访报告" || fail "visit report not saved: $(tui_screen k)"
tui_wait k 10 "待回访：0 位客户" || fail "the visit report did not count as a callback"
ok "the form at 80x24 scrolls through both contacts, unit, findings and sign-off; bad mobile and blank needs refused by name"

[ "$(q "$DB" "SELECT quality || '|' || attitude || '|' || renown || '|' || contact_name || '|' ||
	contact_title || '|' || contact_phone || '|' || principal_mobile || '|' || business_name || '|' ||
	business_title || '|' || business_phone || '|' || business_mobile || '|' || legal_person || '|' ||
	unit_address || '|' || market || '|' || service_feedback || '|' || needs || '|' || signoff
	FROM visit_reports")" = "90|85|80|张总|总经理|023-6123 4567|13900000001|李主办|车队调度|023-61230000|+86 139 0000 0002|张法人|北碚区缙云路 1 号|车队扩大到 13 辆|开票慢|月度台账|both" ] ||
	fail "visit report row: $(q "$DB" 'SELECT * FROM visit_reports')"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.contact_name') || '|' ||
	json_extract(payload, '\$.data.principal_mobile') || '|' || json_extract(payload, '\$.data.business_name') || '|' ||
	json_extract(payload, '\$.data.business_title') || '|' || json_extract(payload, '\$.data.business_phone') || '|' ||
	json_extract(payload, '\$.data.business_mobile') || '|' || json_extract(payload, '\$.data.legal_person') || '|' ||
	json_extract(payload, '\$.data.needs') || '|' || json_extract(payload, '\$.data.signoff')
	FROM outbox WHERE type = 'visit_report'")" = "张总|13900000001|李主办|车队调度|023-61230000|+86 139 0000 0002|张法人|月度台账|both" ] ||
	fail "outbox record: $(q "$DB" "SELECT payload FROM outbox WHERE type = 'visit_report'")"
ok "visit_reports and the outbox record hold the principal and the business contact"
tui_keys k Escape
tui_wait k 10 "Esc：锁定" || fail "Esc did not leave the callbacks: $(tui_screen k)"
tui_keys k Escape
tui_wait k 10 "请刷客户卡" || fail "Esc did not lock the head's screens: $(tui_screen k)"
kiosk_quit k "$T" || fail "kiosk did not quit cleanly (sanitizer report or leak)"
