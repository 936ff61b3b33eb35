#!/usr/bin/env bash
# care_cli.sh — staff, complaint book and callbacks through the CLI twins:
# first-admin rule, lockout that survives a restart (each command is a new
# process), a major complaint's working-day deadline, resolve, callbacks due
# and a visit report; every record in the outbox, bad input stores nothing.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 FORECOURT_NOW=2026-02-12T02:00:00Z   # Thu 02-12 10:00 local
printf '[station]\nid = S0042\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
DB=$T/fc.db
fc init >/dev/null || fail "init"

out=$(printf '246824\n246824\n' | fc staff add H1 Wang head 2>&1) && fail "first member not an admin accepted"
grep -qF "first staff member must be an admin" <<<"$out" || fail "no first-admin message: $out"
out=$(printf '999999\n9998\n' | fc staff add A1 Li admin 2>&1) && fail "differing PINs accepted"
grep -qF "the two PINs differ" <<<"$out" || fail "no mismatch message: $out"
[ "$(q "$DB" 'SELECT count(*) FROM staff')" = 0 ] || fail "staff stored after refusals"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "first admin"
[ "$(stat -c %a "$T/pepper")" = 600 ] || fail "pepper file not 0600"
printf '999999\n246824\n246824\n' | fc staff add H1 Wang head --as A1 >/dev/null || fail "add head"
out=$(printf '246824\n1111\n1111\n' | fc staff add T1 Zhao attendant --as H1 2>&1) && fail "head added staff"
grep -qF "staff H1 is a head: this needs an admin" <<<"$out" || fail "no admin message: $out"
ok "first admin, PIN twice, admin-only staff changes"

# Five wrong PINs lock H1; each attempt is a separate process.
for i in 1 2 3 4; do
	out=$(printf '0000\n' | fc staff login H1 2>&1) && fail "wrong PIN $i accepted"
	[ "$out" = "forecourt: wrong staff number or PIN" ] || fail "attempt $i: $out"
done
out=$(printf '0000\n' | fc staff login H1 2>&1) && fail "wrong PIN 5 accepted"
grep -qF "locked until 2026-02-12 10:30" <<<"$out" || fail "no lockout message: $out"
out=$(printf '246824\n' | fc staff login H1 2>&1) && fail "locked member logged in"
grep -qF "staff H1 is locked until 2026-02-12 10:30" <<<"$out" || fail "lock lost: $out"
fc staff list | grep -E '^H1 .*locked until 2026-02-12 10:30' >/dev/null || fail "list does not show the lock"
FORECOURT_NOW=2026-02-12T02:31:00Z
out=$(printf '246824\n' | fc staff login H1) || fail "not unlocked after 30 minutes: $out"
ok "lockout after 5 wrong PINs survives restarts, ends after 30 min"

# reset-pin lifts a lockout and replaces the PIN; disable stops logins; the last admin stays.
printf '999999\n1111\n1111\n' | fc staff add T1 Zhao attendant --as A1 >/dev/null || fail "add T1"
for i in 1 2 3 4 5; do printf '0000\n' | fc staff login T1 >/dev/null 2>&1; done
printf '1111\n' | fc staff login T1 >/dev/null 2>&1 && fail "T1 not locked"
printf '999999\n4321\n4321\n' | fc staff reset-pin T1 --as A1 | grep -qF "any lockout is lifted" || fail "reset-pin"
printf '1111\n' | fc staff login T1 >/dev/null 2>&1 && fail "old PIN still works"
printf '4321\n' | fc staff login T1 >/dev/null || fail "new PIN refused after reset"
printf '999999\n' | fc staff disable T1 --as A1 >/dev/null || fail "disable"
out=$(printf '4321\n' | fc staff login T1 2>&1) && fail "disabled member logged in"
grep -qF "wrong staff number or PIN" <<<"$out" || fail "disabled login message: $out"
out=$(printf '999999\n' | fc staff disable A1 --as A1 2>&1) && fail "last admin disabled"
grep -qF "last active admin" <<<"$out" || fail "last-admin message: $out"
fc staff list | grep -qE '^T1 .*disabled' || fail "list does not show T1 disabled"
[ "$(q "$DB" "SELECT count(*) FROM audit WHERE action IN ('staff_reset_pin', 'staff_disable')")" = 2 ] ||
	fail "admin actions not audited"
ok "reset-pin, disable, last admin kept, all audited"

# Complaint book.
fc holidays load "$FORECOURT_SRC/config/holidays.conf" | grep -qF "calendar days loaded" || fail "holidays"
sqlite3 "$DB" "INSERT INTO customers(code, name, nature, tier, stability, created_at, updated_at)
	VALUES ('C001', '张三运输', 'big', 'ordinary', 'current', 'x', 'x'),
	       ('C002', '李四', 'individual', 'silver', 'swing', 'x', 'x'),
	       ('C003', '王五', 'individual', 'gold', 'current', 'x', 'x')"
before=$(q "$DB" "SELECT count(*) FROM outbox")
out=$(printf '246824\n' | fc complaint add --as H1 --severity special "x" 2>&1) && fail "special without approval"
grep -qF "approving supervisor" <<<"$out" || fail "no approval message: $out"
out=$(printf '246824\n' | fc complaint add --as H1 --customer NOPE "x" 2>&1) && fail "unknown customer"
grep -qF "no customer with code 'NOPE'" <<<"$out" || fail "no customer message: $out"
out=$(printf '246824\n' | fc complaint add --as H1 --severity special --approved-by Sun --days 7x "x" 2>&1) &&
	fail "--days 7x accepted"
grep -qF -- "--days: '7x' is not a whole number (1..99)" <<<"$out" || fail "no --days message: $out"
out=$(printf '246824\n' | fc complaint add --as H1 --severity special --approved-by Sun --days 9 "x" 2>&1) &&
	fail "9 days for a special case accepted"
grep -qF "a special case gets 1 to 7 working days, not 9" <<<"$out" || fail "no max-days message: $out"
[ "$(q "$DB" "SELECT count(*) FROM complaints")" = 0 ] || fail "refused complaint stored"
# Thu 02-12 + 3 working days: Fri 13, make-up Sat 14, (15..23 Spring Festival) Tue 24.
out=$(printf '246824\n' | fc complaint add --as H1 --severity major --channel phone --customer C001 \
	"加油机 3 号找零错误") || fail "complaint add: $out"
grep -qE "^complaint [0-9a-f]{8} filed: major, due 2026-02-24 \(end of day, 12d 13h left\)" <<<"$out" ||
	fail "unexpected: $out"
id=$(awk '{print $2}' <<<"$out")
fc complaint list | grep -E "^$id +major +2026-02-24 .*open +张三运输" >/dev/null || fail "not listed"
out=$(printf '246824\n' | fc complaint resolve "$id" --as H1 --result "退还差额" 2>&1) && fail "resolve without handler"
# a missing required option is named, before any PIN is asked for (exit 2)
need() { # message, arguments...: exit 2 naming the option
	local msg=$1 out rc
	shift
	out=$(fc complaint "$@" </dev/null 2>&1); rc=$?
	[ "$rc" = 2 ] || fail "complaint $*: exit $rc, not 2: $out"
	grep -qF -- "$msg" <<<"$out" || fail "complaint $*: no '$msg' in: $out"
}
need "forecourt complaint tell: --how is required (phone, sms, email, card, visit, forum)" tell "$id" --as H1
need "forecourt complaint escalate: --reason is required" escalate "$id" --as H1 --severity major
need "forecourt complaint escalate: --severity is required (major or special)" escalate "$id" --as H1 --reason x
need "forecourt complaint resolve: --handler is required" resolve "$id" --as H1 --result x
need "forecourt complaint resolve: --result is required" resolve "$id" --as H1 --handler x
need "forecourt complaint close: --as is required" close "$id"
need "forecourt complaint approve: the complaint ID (of \`complaint list\`) is required" approve --as H1
need "forecourt complaint add: the text of the complaint is required" add --as H1
need "forecourt complaint: unknown verb 'solve' (verbs: list, show, add, resolve, escalate, approve, tell, close)" solve "$id"
printf '246824\n' | fc complaint resolve "$id" --as H1 --result "退还差额" --handler 王站长 >/dev/null ||
	fail "resolve"
[ "$(q "$DB" "SELECT status || '|' || result || '|' || handler FROM complaints")" = "closed|退还差额|王站长" ] ||
	fail "resolution not stored"
fc complaint list closed | grep -qE "^$id .*closed" || fail "not in the closed list"
[ "$(q "$DB" "SELECT group_concat(type, ',') FROM (SELECT type FROM outbox WHERE seq > $before
	AND type LIKE 'complaint%' ORDER BY seq)")" = "complaint,complaint_update" ] || fail "outbox records"
ok "major complaint due in 3 working days, resolved, both in the outbox"

# Callbacks: C001 (ordinary big) and C002 (silver swing, 2 a month) are due; C003 (gold) is not ours.
out=$(fc callback due)
grep -qE "^C002 .* 0/2 +2 " <<<"$out" || fail "C002 not 2 behind: $out"
grep -qE "^C001 " <<<"$out" || fail "C001 not due: $out"
grep -qE "^C003 " <<<"$out" && fail "C003 (gold individual) is not the station's: $out"
grep -qF "holiday 2026-02-15" <<<"$out" || fail "holiday not announced: $out"
printf '246824\n' | fc callback add C001 --as H1 --method phone --contact 张经理 --notes "节前问候" >/dev/null ||
	fail "callback add"
fc callback due | grep -qE "^C001 " && fail "C001 still due after its callback"
out=$(printf '246824\n' | fc callback report C002 --as H1 --quality good --attitude nice --renown known 2>&1) &&
	fail "bad choice accepted"
grep -qF "attitude: 'nice' is not a choice" <<<"$out" || fail "no choice message: $out"
out=$(printf '246824\n' | fc callback report C002 --as H1 --quality excellent --attitude poor \
	--renown heard_of --contact 李四 --title 车主 --phone 13800000000 --suggestions "多开夜间窗口") ||
	fail "report: $out"
grep -qF "quality 90, attitude 30, renown 60" <<<"$out" || fail "scores: $out"
[ "$(q "$DB" "SELECT quality || ',' || attitude || ',' || renown FROM visit_reports")" = "90,30,60" ] ||
	fail "scores not stored"
fc feedback add 7 >/dev/null 2>&1 && fail "rating 7 accepted"
fc feedback add 5 --comment 快 >/dev/null || fail "feedback"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE type IN ('callback', 'visit_report', 'feedback')")" = 3 ] ||
	fail "callback, report, feedback not all in the outbox"
ok "callbacks due, callback, visit report scores and feedback"

# The visit-report form (issue 16): both contacts, the unit, what was
# learned, the sign-off; in the row and in the outbox record.  A bad
# phone or a blank text is refused naming the field, exit 2, before the PIN.
out=$(printf '246824\n' | fc callback report C002 --as H1 --quality good --attitude good \
	--renown known --contact 张总 --title 总经理 --phone "023-6123 4567" --mobile 13900000001 \
	--business 李主办 --business-title 调度 --business-phone 023-61230000 \
	--business-mobile "+86 139 0000 0002" --legal-person 张法人 --address "渝北区 1 号" \
	--market "车队扩大" --service-feedback "开票慢" --needs "月度台账" --signoff sealed) ||
	fail "report with the whole form: $out"
[ "$(q "$DB" "SELECT contact_name || '|' || principal_mobile || '|' || business_name || '|' ||
	business_mobile || '|' || legal_person || '|' || needs || '|' || signoff FROM visit_reports
	WHERE business_name IS NOT NULL")" = "张总|13900000001|李主办|+86 139 0000 0002|张法人|月度台账|sealed" ] ||
	fail "the form is not in visit_reports: $(q "$DB" "SELECT * FROM visit_reports")"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.contact_name') || '|' ||
	json_extract(payload, '\$.data.business_name') || '|' ||
	json_extract(payload, '\$.data.business_phone') || '|' ||
	json_extract(payload, '\$.data.market') || '|' || json_extract(payload, '\$.data.signoff')
	FROM outbox WHERE type = 'visit_report' ORDER BY seq DESC LIMIT 1")" = \
	"张总|李主办|023-61230000|车队扩大|sealed" ] || fail "the form is not in the outbox record"
n=$(q "$DB" "SELECT count(*) FROM visit_reports")
out=$(fc callback report C002 --as H1 --quality good --attitude good --renown known \
	--business-phone 12ab 2>&1 </dev/null); rc=$?
[ $rc = 2 ] && grep -qF "field 'business-phone': '12ab' is not a phone number" <<<"$out" ||
	fail "bad business phone: rc $rc: $out"
out=$(fc callback report C002 --as H1 --quality good --attitude good --renown known \
	--needs "  " 2>&1 </dev/null); rc=$?
[ $rc = 2 ] && grep -qF "field 'needs': only blanks" <<<"$out" || fail "blank needs: rc $rc: $out"
out=$(fc callback report C002 --as H1 --quality good --attitude good --renown known \
	--signoff stamped 2>&1 </dev/null); rc=$?
[ $rc = 2 ] && grep -qF "accepted: none, signed, sealed, both" <<<"$out" || fail "bad signoff: rc $rc: $out"
[ "$(q "$DB" "SELECT count(*) FROM visit_reports")" = "$n" ] || fail "a refused form was stored"
ok "visit-report form: both contacts, unit, findings and sign-off stored and queued; bad ones named, exit 2"

# A visit date after today (local) is refused, exit 2, before the PIN; a
# back-dated report's monthly-study answers are dated by its date (the
# local midnight starting it), not by when it was typed in.
out=$(fc callback report C002 --as H1 --quality good --attitude good --renown known \
	--date 2026-02-13 2>&1 </dev/null); rc=$?
[ $rc = 2 ] && grep -qF "field 'date': '2026-02-13' is after today (2026-02-12)" <<<"$out" ||
	fail "a future visit date: rc $rc: $out"
[ "$(q "$DB" "SELECT count(*) FROM visit_reports")" = "$n" ] || fail "a future-dated report was stored"
out=$(printf '246824\n' | fc callback report C002 --as H1 --quality good --attitude good \
	--renown known --date 2026-01-20 --loss-reason price --measures 降价两角) ||
	fail "a back-dated report: $out"
[ "$(q "$DB" "SELECT study_at || '|' || loss_reason || '|' || measures FROM customers WHERE code = 'C002'")" = \
	"2026-01-19T16:00:00Z|price|降价两角" ] ||
	fail "back-dated study: $(q "$DB" "SELECT study_at, loss_reason FROM customers WHERE code = 'C002'")"
[ "$(q "$DB" "SELECT group_concat(report_date || '|' || loss_reason) FROM visit_reports WHERE report_date < '2026-02-01'")" = \
	"2026-01-20|price" ] || fail "the back-dated report's row"
out=$(printf '246824\n' | fc callback report C002 --as H1 --quality good --attitude good \
	--renown known --date 2026-02-12 --loss-reason service) || fail "a report of today: $out"
[ "$(q "$DB" "SELECT study_at > '2026-02-12T01:00:00Z' AND loss_reason = 'service' FROM customers WHERE code = 'C002'")" = 1 ] ||
	fail "today's study: $(q "$DB" "SELECT study_at, loss_reason FROM customers WHERE code = 'C002'")"
ok "visit date after today refused (exit 2); a back-dated report's study dated 2026-01-19T16:00:00Z"

fc audit verify >/dev/null || fail "audit chain broken by normal use"
