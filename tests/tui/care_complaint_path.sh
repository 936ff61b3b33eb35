#!/usr/bin/env bash
# care_complaint_path.sh — the complaint book's path on the kiosk (issue 16),
# end to end in tmux at 80x24, in Chinese: a general complaint is filed,
# handled (F11), its opinion approved by the head (F11), the customer told
# by SMS (F11) and closed (F11 on the whole entry), the list showing its
# stage at each step and Enter its path with names and times; a special
# case is filed with level 1's supervisor and approved at level 2 (F11)
# before its result, the customer told and closing; a suggestion is filed
# with no deadline.  Each step is a record in the outbox, in order.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8
NOW=2026-02-12T02:00:00Z          # Thu 02-12 10:00 local
DB=$T/fc.db
printf '[station]\nid = S0042\n[ui]\nlocale = zh_CN\n[reader]\nport = sim\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
printf '[complaints]\nholidays_file = %s/config/holidays.conf\napproval_levels = station_head, branch_retail_manager\n' \
	"$FORECOURT_SRC" >>"$T/fc.conf"
fc() { FORECOURT_NOW=$NOW "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
fc init >/dev/null || fail "init"
fc holidays load "$FORECOURT_SRC/config/holidays.conf" >/dev/null || fail "holidays"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n135799\n135799\n' | fc staff add H2 赵站长 head --as A1 >/dev/null || fail "head"
tui_start kiosk 80 24 env TZ=CST-8 FORECOURT_NOW=$NOW FORECOURT_LOCALEDIR="$FORECOURT_LOCALEDIR" \
	ASAN_OPTIONS="$ASAN_OPTIONS" "$FC" --config "$T/fc.conf" --db "$DB" kiosk
tui_wait kiosk 20 "F6" || fail "kiosk did not start"
k() { tui_keys kiosk "$@"; }
see() { tui_wait kiosk 10 "$1" || fail "${2:-not on screen: $1}"; }
row() { # text on one row of the screen with the other texts
	local line
	line=$(tui_screen kiosk | grep -F -- "$1") || return 1
	shift
	for t in "$@"; do grep -qF -- "$t" <<<"$line" || return 1; done
}
see_row() { wait_for 10 row "$@" || fail "no row with: $*: $(tui_screen kiosk)"; }
steps() { # complaint content: the kinds of its complaint_update records, in seq order
	q "$DB" "SELECT group_concat(k, ',') FROM (SELECT json_extract(o.payload, '\$.data.kind') ||
		coalesce(json_extract(o.payload, '\$.data.level_no'), '') AS k FROM outbox o
		JOIN complaints c ON c.id = json_extract(o.payload, '\$.data.complaint_id')
		WHERE o.type = 'complaint_update' AND c.content = '$1' ORDER BY o.seq)"
}

k F6; see "上班登录"; k -l H2; k Tab; k -l 135799; k Enter; see "已登录：赵站长"
k F7; see "没有意见记录。"

# --- a general complaint: handled, approved, the customer told, closed -------
k IC; see "新增意见"
k F1; see "内容必填。级别（数字选择）：一般 1 个工作日，重大 3 个"   # F1 on the filing form
k Escape; see "新增意见"
k Down Down; k -l "态度差"; k Enter
see "已保存：意见"
see_row "态度差" "一般" "待处理"
k F11; see "办结意见"
k F1; see "处理结果和处理人必填"; k Escape; see "办结意见"
k -l "当面道歉并加强培训"; k Enter
see "下一步：待审批"
see_row "态度差" "待审批"
[ "$(q "$DB" "SELECT status FROM complaints")" = open ] || fail "the result closed a general complaint"
k F11; see "审批处理意见"; see "当面道歉并加强培训"
see "审批人：赵站长（当前登录站长）"      # no field to type another name into
k F1; see "以您（当前登录站长）的名义审批处理意见"; k Escape; see "审批处理意见"
k Enter; see "处理意见已由 赵站长 审批"
see_row "态度差" "待告知"
k F11; see "已告知客户处理结果"
k Down; k -l 2; see "[2 短信]"
k Enter; see "已告知客户"
see_row "态度差" "待关闭"
k Enter; see "意见 "; see "F11：下一步"
see_row "收到时间" "2026-02-12 10:00"
see_row "已处理" "赵站长" "2026-02-12 10:00"
see_row "站长审批" "赵站长" "2026-02-12 10:00"
see_row "已告知客户" "赵站长，短信" "2026-02-12 10:00"
see_row "关闭" "待办"
k F11; see "关闭意见"; k Enter
see "已保存：意见"; see_row "关闭" "2026-02-12 10:00"
see_row "进度" "已办结"
[ "$(steps 态度差)" = "resolve,approve,tell,close" ] || fail "general steps in the outbox: $(steps 态度差)"
[ "$(q "$DB" "SELECT status || '|' || approver || '|' || told_by || '|' || told_how FROM complaints")" = \
	"closed|赵站长|赵站长|sms" ] || fail "general row: $(q "$DB" 'SELECT * FROM complaints')"
ok "general complaint: handled, approved, customer told by SMS, closed; each step on screen and in the outbox"
k Escape; see "没有意见记录。"

# --- a special case through two levels ---------------------------------------
k IC; see "新增意见"
k Down Down; k -l "油品检测"
k Down Down Down; k -l 3; see "[3 特殊]"
k Down; k -l "孙站长"; k Enter
see "已保存：意见"
see_row "油品检测" "特殊" "待审批 2/2"
k F11; see "特殊情况审批：第 2/2 级，分公司分管零售经理"
k F1; see "站外领导"; k Escape; see "特殊情况审批：第 2/2 级"
k Enter; see "未保存"                     # the supervisor's name is needed
k -l "钱经理"; k Enter; see "第 2/2 级审批人 钱经理"
see_row "油品检测" "待处理"
k F11; see "办结意见"; k -l "送检合格"; k Enter; see "已保存"
see_row "油品检测" "待告知"
k F11; see "已告知客户处理结果"; k Enter; see "已告知客户"
see_row "油品检测" "待关闭"
k Enter; see "F11：下一步"
see_row "审批 1/2：加油站站长" "孙站长" "2026-02-12 10:00"
see_row "审批 2/2：分公司分管零售经理" "钱经理" "2026-02-12 10:00"
see_row "已告知客户" "赵站长，电话"
k F11; see "关闭意见"; k Enter; see_row "进度" "已办结"
[ "$(steps 油品检测)" = "level2,resolve,tell,close" ] || fail "special steps in the outbox: $(steps 油品检测)"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.approved_by') || '|' || json_extract(payload, '\$.data.approval_level') FROM outbox
	WHERE type = 'complaint' AND json_extract(payload, '\$.data.severity') = 'special'")" = "孙站长|station_head" ] ||
	fail "the special case's record does not name level 1"
ok "special case: level 1 named when filed, level 2 approved with name and time, then result, customer told, closed"
k Escape; see "没有意见记录。"

# --- a suggestion: no deadline --------------------------------------------------
k IC; see "新增意见"
k Down Down; k -l "增设洗车"; k Down Down Down; k -l 4; see "[4 建议]"; k Enter
see "已保存：建议"; see "（无期限）"
see_row "增设洗车" "建议" "—" "待处理"
[ "$(q "$DB" "SELECT kind || '|' || coalesce(deadline, 'none') FROM complaints WHERE content = '增设洗车'")" = \
	"suggestion|none" ] || fail "suggestion row"
k Enter; see "无：建议没有期限"
ok "suggestion filed on screen without a deadline"
