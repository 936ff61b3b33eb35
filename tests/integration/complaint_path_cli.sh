#!/usr/bin/env bash
# complaint_path_cli.sh — the complaint book's path through the CLI
# (issue 16): a suggestion has no deadline and is never overdue; a general
# complaint is closed only after its opinion is approved and the customer
# told (each refused earlier, saying what is missing); a special case is
# approved level by level of [complaints] approval_levels, in order; each
# step is a complaint_update record in the outbox; a bad approval_levels is
# refused with FILE:LINE.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 FORECOURT_NOW=2026-02-12T02:00:00Z   # Thu 02-12 10:00 local
cat >"$T/fc.conf" <<CONF
[station]
id = S0042
[auth]
pepper_file = $T/pepper
[complaints]
approval_levels = station_head, business_dept_manager, branch_retail_manager
CONF
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
h1() { printf '246824\n' | fc "$@" --as H1; }
DB=$T/fc.db
expect() { # exit code, message, command...: the command fails so, saying it
	local rc=$1 pattern=$2 out got
	shift 2
	out=$("$@" 2>&1); got=$?
	[ "$got" = "$rc" ] || fail "$*: exit $got, not $rc: $out"
	grep -qF -- "$pattern" <<<"$out" || fail "$*: no '$pattern' in: $out"
}
fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "first admin"
printf '999999\n246824\n246824\n' | fc staff add H1 Wang head --as A1 >/dev/null || fail "add head"
fc holidays load "$FORECOURT_SRC/config/holidays.conf" >/dev/null || fail "holidays"

# The config: a level that is none of the supervisors, or twice, names FILE:LINE.
printf '[complaints]\napproval_levels = station_head, mayor\n' >"$T/bad.conf"
expect 2 "$T/bad.conf:2: bad value for 'approval_levels' in [complaints]: 'station_head, mayor'" \
	"$FC" --config "$T/bad.conf" --db "$DB" complaint list
expect 2 "'mayor' is none of them" "$FC" --config "$T/bad.conf" --db "$DB" complaint list
printf '[complaints]\napproval_levels = station_head,station_head\n' >"$T/bad.conf"
expect 2 "each level once: 'station_head' is listed twice" \
	"$FC" --config "$T/bad.conf" --db "$DB" complaint list
ok "approval_levels: an unknown or repeated level refused with FILE:LINE"

# A suggestion: no severity, no deadline, never overdue; its answer closes it.
out=$(h1 complaint add --kind suggestion "希望增设自助洗车") || fail "suggestion: $out"
grep -qE "^suggestion [0-9a-f]{8} filed \(no deadline\)$" <<<"$out" || fail "suggestion output: $out"
sid=$(grep -oE '[0-9a-f]{8}' <<<"$out" | head -n 1)
[ "$(q "$DB" "SELECT kind || '|' || coalesce(severity, 'null') || '|' || coalesce(deadline, 'null') FROM complaints")" = \
	"suggestion|null|null" ] || fail "suggestion row: $(q "$DB" 'SELECT * FROM complaints')"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.kind') || '|' || json_type(payload, '\$.data.deadline') FROM outbox WHERE type = 'complaint'")" = \
	"suggestion|null" ] || fail "suggestion record"
expect 2 "--severity is for a complaint: a suggestion has no severity and no deadline" \
	sh -c 'printf "246824\n" | "$@"' _ "$FC" --config "$T/fc.conf" --db "$DB" complaint add \
	--as H1 --kind suggestion --severity major "x"
FORECOURT_NOW=2026-03-30T02:00:00Z fc complaint list | grep -E "^$sid +suggestion +- +- +open .* to handle +希望增设" >/dev/null ||
	fail "suggestion not listed without deadline: $(fc complaint list)"
FORECOURT_NOW=2026-03-30T02:00:00Z fc complaint list | grep -F "$sid" | grep -q OVERDUE && fail "suggestion overdue"
expect 1 "$sid is a suggestion: it needs no approval and is closed by its answer (resolve)" \
	sh -c 'printf "246824\n" | "$@"' _ "$FC" --config "$T/fc.conf" --db "$DB" complaint approve "$sid" --as H1
expect 1 "is a suggestion, not a complaint: it has no severity to raise" \
	sh -c 'printf "246824\n" | "$@"' _ "$FC" --config "$T/fc.conf" --db "$DB" complaint escalate "$sid" \
	--as H1 --severity major --reason x
h1 complaint resolve "$sid" --result "已转营销部门" --handler 王站长 | grep -qF "complaint $sid resolved" ||
	fail "suggestion answered"
[ "$(q "$DB" "SELECT status FROM complaints WHERE kind = 'suggestion'")" = closed ] || fail "suggestion not closed"
ok "a suggestion: no severity, no deadline, never overdue, closed by its answer"

# A general complaint: closing refused until the opinion is approved and the customer told.
out=$(h1 complaint add "加油员态度差") || fail "general: $out"
gid=$(grep -oE '[0-9a-f]{8}' <<<"$out" | head -n 1)
refuse() { # exit code, message, command...
	local code=$1 msg=$2
	shift 2
	expect "$code" "$msg" sh -c 'printf "246824\n" | "$@"' _ "$FC" --config "$T/fc.conf" --db "$DB" "$@" --as H1
}
refuse 1 "complaint $gid cannot be closed yet: its handling result is not recorded (resolve)" complaint close "$gid"
refuse 1 "complaint $gid has no handling opinion to approve yet: record it first (resolve)" complaint approve "$gid"
refuse 1 "the customer cannot be told about complaint $gid yet: its handling result is not recorded (resolve)" \
	complaint tell "$gid" --how phone
out=$(h1 complaint resolve "$gid" --result "当面道歉并培训" --handler 王站长 --remarks 客户接受道歉) || fail "opinion: $out"
grep -qF "complaint $gid: handling result recorded; next: to approve" <<<"$out" || fail "resolve output: $out"
[ "$(q "$DB" "SELECT status FROM complaints WHERE id LIKE '%$gid'")" = open ] || fail "resolve closed a general complaint"
refuse 1 "complaint $gid already has its handling result (by 王站长)" complaint resolve "$gid" --result x --handler y
refuse 1 "complaint $gid cannot be closed yet: a head has not approved its handling opinion (approve)" complaint close "$gid"
refuse 1 "the customer cannot be told about complaint $gid yet: a head has not approved its handling opinion" \
	complaint tell "$gid" --how phone
refuse 2 "complaint $gid is general: a head approves its handling opinion now, with no level or time" \
	complaint approve "$gid" --level 2
# the approver is the head logged in (--as), never a typed name
refuse 2 "complaint $gid is general: its handling opinion is approved by the head logged in, not by a typed name" \
	complaint approve "$gid" --approver 张三
[ "$(q "$DB" "SELECT coalesce(approver, 'none') FROM complaints WHERE id LIKE '%$gid'")" = none ] ||
	fail "a typed approver was stored"
FORECOURT_NOW=2026-02-12T03:00:00Z h1 complaint approve "$gid" | grep -qF "approval recorded; next: to tell" || fail "approve"
[ "$(q "$DB" "SELECT u.approved_by || '|' || s.staff_no FROM complaint_updates u JOIN staff s ON s.id = u.staff_id
	WHERE u.kind = 'approve'")" = "Wang|H1" ] || fail "approval not by the head logged in"

refuse 1 "its handling opinion was already approved by Wang" complaint approve "$gid"
refuse 1 "complaint $gid cannot be closed yet: the customer has not been told the result (tell)" complaint close "$gid"
refuse 2 "--how 'fax' (accepted: phone, sms, email, card, visit, forum)" complaint tell "$gid" --how fax
refuse 2 "the time the customer was told cannot be in the future" complaint tell "$gid" --how sms --at 2026-02-13T00:00:00Z
# told before the head approved the opinion (handled 02:00, approved 03:00): refused
FORECOURT_NOW=2026-02-12T04:00:00Z refuse 2 "the customer cannot have been told before the head's approval (2026-02-12T03:00:00Z)" \
	complaint tell "$gid" --how phone --at 2026-02-12T02:30:00Z
[ "$(q "$DB" "SELECT coalesce(told_at, 'none') FROM complaints WHERE id LIKE '%$gid'")" = none ] ||
	fail "told before the approval was recorded"
FORECOURT_NOW=2026-02-12T04:00:00Z h1 complaint tell "$gid" --how phone --by 小李 --at 2026-02-12T03:30:00Z |
	grep -qF "customer told recorded; next: to close" || fail "tell"
FORECOURT_NOW=2026-02-12T05:00:00Z h1 complaint close "$gid" --remarks 回访满意 | grep -qF "complaint $gid closed" || fail "close"
# the remarks at closing are added to those of the result, not in their place
[ "$(q "$DB" "SELECT remarks FROM complaints WHERE id LIKE '%$gid'")" = "客户接受道歉; 回访满意" ] ||
	fail "remarks: $(q "$DB" "SELECT remarks FROM complaints WHERE id LIKE '%$gid'")"
fc complaint show "$gid" | grep -qE "^remarks: +客户接受道歉; 回访满意$" || fail "show remarks: $(fc complaint show "$gid")"
[ "$(q "$DB" "SELECT status || '|' || approver || '|' || told_by || '|' || told_how || '|' || told_at || '|' || closed_at FROM complaints WHERE id LIKE '%$gid'")" = \
	"closed|Wang|小李|phone|2026-02-12T03:30:00Z|2026-02-12T05:00:00Z" ] ||
	fail "general row: $(q "$DB" "SELECT * FROM complaints WHERE id LIKE '%$gid'")"
show=$(fc complaint show "$gid")
grep -qE "^stage: +closed$" <<<"$show" || fail "show stage: $show"
for step in "received +2026-02-12T02:00" "handled +2026-02-12T02:00:00Z +王站长: 当面道歉并培训" \
	"approved +2026-02-12T03:00:00Z +Wang" "told +2026-02-12T03:30:00Z +小李 by phone" \
	"closed +2026-02-12T05:00:00Z"; do
	grep -qE "^  $step" <<<"$show" || fail "show lacks '$step': $show"
done
[ "$(q "$DB" "SELECT group_concat(json_extract(payload, '\$.data.kind') || ':' || json_extract(payload, '\$.data.status'), ',') FROM (SELECT payload FROM outbox
	WHERE type = 'complaint_update' AND json_extract(payload, '\$.data.complaint_id') LIKE '%$gid' ORDER BY seq)")" = \
	"resolve:open,approve:open,tell:open,close:closed" ] || fail "general steps in the outbox"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.told_by') || '|' || json_extract(payload, '\$.data.told_how') || '|' || json_extract(payload, '\$.data.happened_at') FROM outbox
	WHERE json_extract(payload, '\$.data.kind') = 'tell'")" = "小李|phone|2026-02-12T03:30:00Z" ] || fail "tell record"
ok "general complaint: close refused before approval and telling, then resolve, approve, tell, close, each in the outbox"

# A special case: level 1 named when filed; the levels approve in order.
out=$(h1 complaint add --severity special --approved-by 孙站长 --days 5 "油品检测") || fail "special: $out"
xid=$(grep -oE '[0-9a-f]{8}' <<<"$out" | head -n 1)
fc complaint list | grep -E "^$xid .* to approve 2/3 " >/dev/null || fail "special stage: $(fc complaint list)"
refuse 1 "complaint $xid: level 3 (branch_retail_manager) cannot approve before level 2 (business_dept_manager)" \
	complaint approve "$xid" --level branch_retail_manager --approver 赵经理
refuse 1 "complaint $xid: level 1 (station_head) has already approved it" complaint approve "$xid" --level 1 --approver x
refuse 2 "--level 'mayor' is not a level of [complaints] approval_levels (1 station_head, 2 business_dept_manager, 3 branch_retail_manager)" \
	complaint approve "$xid" --level mayor --approver x
refuse 2 "name the supervisor of level 2 (business_dept_manager) who approved" complaint approve "$xid"
refuse 1 "complaint $xid cannot be closed yet: level 2 of 3 (business_dept_manager) has not approved it (approve)" \
	complaint close "$xid"
refuse 1 "complaint $xid cannot be resolved yet: level 2/3 (business_dept_manager) has not approved yet" \
	complaint resolve "$xid" --result x --handler y
[ "$(q "$DB" "SELECT coalesce(handled_at, 'none') FROM complaints WHERE id LIKE '%$xid'")" = none ] ||
	fail "a special case resolved before its levels approved"
refuse 2 "the approval cannot be before" complaint approve "$xid" --approver 钱经理 --at 2026-02-11T00:00:00Z
FORECOURT_NOW=2026-02-12T06:00:00Z h1 complaint approve "$xid" --approver 钱经理 --at 2026-02-12T05:30:00Z |
	grep -qF "approval recorded; next: to approve 3/3" || fail "level 2"
FORECOURT_NOW=2026-02-12T07:00:00Z h1 complaint approve "$xid" --level branch_retail_manager --approver 赵经理 |
	grep -qF "approval recorded; next: to handle" || fail "level 3"
refuse 1 "level 3 (branch_retail_manager) has already approved it" complaint approve "$xid" --level 3 --approver x
FORECOURT_NOW=2026-02-12T08:00:00Z h1 complaint resolve "$xid" --result "送检合格" --handler 王站长 |
	grep -qF "next: to tell" || fail "special resolve"
# told before the result (08:00): refused
FORECOURT_NOW=2026-02-12T09:00:00Z refuse 2 "the customer cannot have been told before the handling result (2026-02-12T08:00:00Z)" \
	complaint tell "$xid" --how visit --at 2026-02-12T07:30:00Z
FORECOURT_NOW=2026-02-12T09:00:00Z h1 complaint tell "$xid" --how visit | grep -qF "next: to close" || fail "special tell"
FORECOURT_NOW=2026-02-12T09:00:00Z h1 complaint close "$xid" | grep -qF "closed" || fail "special close"
show=$(fc complaint show "$xid")
for step in "level 1 station_head +2026-02-12T02:00:00Z +孙站长" \
	"level 2 business_dept_manager +2026-02-12T05:30:00Z +钱经理 \(entered by Wang\)" \
	"level 3 branch_retail_manager +2026-02-12T07:00:00Z +赵经理 \(entered by Wang\)" "told +.* Wang by visit"; do
	grep -qE "^  $step" <<<"$show" || fail "special show lacks '$step': $show"
done
[ "$(q "$DB" "SELECT group_concat(k, ',') FROM (SELECT json_extract(payload, '\$.data.kind') || coalesce(json_extract(payload, '\$.data.level_no'), '') AS k FROM outbox
	WHERE type = 'complaint_update' AND json_extract(payload, '\$.data.complaint_id') LIKE '%$xid' ORDER BY seq)")" = \
	"level2,level3,resolve,tell,close" ] || fail "special steps in the outbox"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.approval_level') || '|' || json_extract(payload, '\$.data.approved_by') FROM outbox
	WHERE type = 'complaint' AND json_extract(payload, '\$.data.severity') = 'special'")" = "station_head|孙站长" ] ||
	fail "special filing record does not name level 1"
ok "special case: levels in order (3 before 2 refused), names and times, each step in the outbox"

# A major complaint keeps its short path: resolve closes it; approve and tell are refused.
out=$(h1 complaint add --severity major "开票慢") || fail "major"
mid=$(grep -oE '[0-9a-f]{8}' <<<"$out" | head -n 1)
refuse 1 "complaint $mid is major: it needs no approval and is closed by its result (resolve)" complaint approve "$mid"
h1 complaint resolve "$mid" --result x --handler y | grep -qF "complaint $mid resolved" || fail "major resolve"
ok "major complaint: closed by its result"
