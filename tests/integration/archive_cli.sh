#!/usr/bin/env bash
# archive_cli.sh — `forecourt customer`: search by any part of name, phone,
# plate or code (Chinese, 1-2 characters too), show, edit with the change in
# the outbox (who, old, new), bad values refused, potential-customer codes.
. "$(dirname "$0")/../lib.sh"
export TZ=CST-8 FORECOURT_NOW=2026-07-01T02:00:00Z
printf '[station]\nid = S0042\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
DB=$T/fc.db
fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n246824\n246824\n' | fc staff add H1 Wang head --as A1 >/dev/null || fail "head"
printf '999999\n1357\n1357\n' | fc staff add T1 Zhao attendant --as A1 >/dev/null || fail "attendant"
cat >"$T/c.csv" <<'CSV'
code,name,nature,industry,phone,plate
S0042-B-LG-000001,张三物流有限公司,big,logistics,13800000001,京A12345
S0042-I-TX-000002,李四,individual,taxi,13900000002,京B88888
S0042-I-OT-000003,王五,individual,other,13700000003,沪C00001
CSV
fc import customers "$T/c.csv" >/dev/null || fail "import"

out=$(fc customer search 物流有限) || fail "search: $out"
grep -q "^S0042-B-LG-000001 " <<<"$out" && grep -qF "1 found" <<<"$out" || fail "substring: $out"
out=$(fc customer search 李四) && grep -q "^S0042-I-TX-000002 " <<<"$out" && grep -qF "1 found" <<<"$out" || fail "two characters: $out"
out=$(fc customer search 五) && grep -q "^S0042-I-OT-000003 " <<<"$out" || fail "one character inside a name: $out"
out=$(fc customer search 0000002) && grep -q "^S0042-I-TX-000002 " <<<"$out" || fail "phone: $out"
out=$(fc customer search 沪C00) && grep -q "^S0042-I-OT-000003 " <<<"$out" || fail "plate: $out"
out=$(fc customer search 无此人) && grep -qF "0 found" <<<"$out" || fail "no match: $out"
ok "search by name, phone, plate, 1-3+ characters"

out=$(printf '246824\n' | fc customer edit S0042-I-TX-000002 phone=13900009999 address=上海路1号 yearly_litres=3000 --as H1) || fail "edit: $out"
grep -qF "saved: 3 fields changed" <<<"$out" || fail "edit output: $out"
[ "$(q "$DB" "SELECT phone || '|' || address || '|' || yearly_litres FROM customers WHERE code = 'S0042-I-TX-000002'")" = "13900009999|上海路1号|3000" ] || fail "edit stored"
payload=$(q "$DB" "SELECT payload FROM outbox WHERE type = 'customer_changed'")
[ "$(q "$DB" "SELECT json_extract('$payload', '\$.data.changes[0].field') || json_extract('$payload', '\$.data.changes[0].old') || '>' || json_extract('$payload', '\$.data.changes[0].new') || ' staff ' || json_extract('$payload', '\$.staff')")" = "phone13900000002>13900009999 staff 2" ] || fail "outbox payload: $payload"
out=$(fc customer search 9999) && grep -q "^S0042-I-TX-000002 " <<<"$out" || fail "search index after edit: $out"
out=$(fc customer show S0042-I-TX-000002) && grep -qE "^address +上海路1号" <<<"$out" || fail "show: $out"
ok "edit stored, queued with who/old/new, index in step"

before=$(sqlite3 "$DB" "SELECT * FROM customers; SELECT count(*) FROM outbox WHERE type = 'customer_changed'" | md5sum)
out=$(printf '246824\n' | fc customer edit S0042-I-TX-000002 phone=13911112222 yearly_litres=lots --as H1 2>&1) && fail "bad number accepted"
grep -qF "field 'yearly_litres': 'lots' is not a whole number" <<<"$out" || fail "bad number message: $out"
out=$(printf '246824\n' | fc customer edit S0042-I-TX-000002 colour=red --as H1 2>&1) && fail "unknown field accepted"
grep -qF "field 'colour' cannot be edited" <<<"$out" || fail "unknown field: $out"
out=$(printf '1357\n' | fc customer edit S0042-I-TX-000002 phone=1 --as T1 2>&1) && fail "attendant edited"
[ "$(sqlite3 "$DB" "SELECT * FROM customers; SELECT count(*) FROM outbox WHERE type = 'customer_changed'" | md5sum)" = "$before" ] || fail "refused edits changed data"
edit_refused() { # expected-message field=value...
	local msg=$1; shift
	out=$(printf '246824\n' | fc customer edit S0042-I-TX-000002 "$@" --as H1 2>&1) && fail "edit $* accepted"
	grep -qF -- "$msg" <<<"$out" || fail "edit $*: message $out"
}
edit_refused "field 'yearly_litres': 161139999 is out of range 0..100000000 litres" yearly_litres=161139999
# The CLI stays English (scripts parse it) under a Chinese environment and [ui] locale = zh_CN.
cp "$T/fc.conf" "$T/zh.conf" && printf '[ui]\nlocale = zh_CN\n' >>"$T/zh.conf"
out=$(printf '246824\n' | LANG=zh_CN.UTF-8 LANGUAGE=zh_CN "$FC" --config "$T/zh.conf" --db "$DB" customer edit \
	S0042-I-TX-000002 yearly_litres=161139999 --as H1 2>&1) && fail "zh_CN: out of range accepted"
grep -qF "field 'yearly_litres': 161139999 is out of range 0..100000000 litres" <<<"$out" ||
	fail "CLI message under LANG=zh_CN.UTF-8 not English: $out"
edit_refused "field 'refuel_cycle_days': 0 is out of range 1..365 days" refuel_cycle_days=0
edit_refused "field 'refuel_cycle_days': 400 is out of range 1..365 days" refuel_cycle_days=400
edit_refused "field 'phone': 'abc' may hold only digits, +, - and spaces" phone=abc
edit_refused "field 'phone': '12' is not a phone number" phone=12
edit_refused "field 'nature' cannot be edited: nature follows the customer's cards" nature=big
edit_refused "field 'nature' cannot be edited: nature follows the customer's cards" nature=individual
[ "$(sqlite3 "$DB" "SELECT * FROM customers; SELECT count(*) FROM outbox WHERE type = 'customer_changed'" | md5sum)" = "$before" ] || fail "refused edits changed data"
out=$(printf '246824\n' | fc customer register 孙七 individual other phone=abc --as H1 2>&1) && fail "register phone=abc accepted"
grep -qF "field 'phone': 'abc' may hold only digits" <<<"$out" || fail "register phone message: $out"
out=$(printf '246824\n' | fc customer edit S0042-I-TX-000002 yearly_litres=100000000 refuel_cycle_days=365 --as H1) || fail "edit at the range ends: $out"
ok "bad edits (ranges, phone letters, nature) and attendants refused, nothing changed"

# Plates: one stored form 京A12345 (README "Plates") from import, edit and
# register; search finds a typed plate with or without the dot or a space.
[ "$(q "$DB" "SELECT plate FROM customers WHERE code = 'S0042-B-LG-000001'")" = "京A12345" ] || fail "imported plate not normalised"
for typed in 京A12345 京A·12345 '京a 12345' 京A-12345 12345 A12345 京A123 京A·123; do
	out=$(fc customer search "$typed") && grep -q "^S0042-B-LG-000001 " <<<"$out" || fail "plate search '$typed': $out"
done
out=$(printf '246824\n' | fc customer edit S0042-I-OT-000003 'plate=沪c 00001, 沪D-2' --as H1) || fail "plate edit: $out"
[ "$(q "$DB" "SELECT plate FROM customers WHERE code = 'S0042-I-OT-000003'")" = "沪C00001, 沪D2" ] || fail "edited plate: $(q "$DB" "SELECT plate FROM customers WHERE code = 'S0042-I-OT-000003'")"
out=$(fc customer search 沪C·00001) && grep -q "^S0042-I-OT-000003 " <<<"$out" || fail "edited plate search: $out"
ok "plates stored as 京A12345 (import, edit), found typed with or without the dot"

out=$(printf '246824\n' | fc customer register 赵六运输 big logistics phone=13600000006 plate=渝a·21978 --as H1) || fail "register: $out"
code=$(sed -n 's/^registered //p' <<<"$out")
# The scheme of README (STATION-N-II-NNNNNN): one above the imported S0042-B-LG-000001.
[ "$code" = S0042-B-LG-000002 ] || fail "code scheme / number: $out"
[ "$(q "$DB" "SELECT stability || '|' || nature || '|' || industry || '|' || phone FROM customers WHERE code = '$code'")" = "potential|big|logistics|13600000006" ] || fail "registered row"
[ "$(q "$DB" "SELECT plate FROM customers WHERE code = '$code'")" = "渝A21978" ] || fail "registered plate not normalised"
out=$(fc customer search 渝A·21978) && grep -q "^$code " <<<"$out" || fail "registered plate search: $out"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE type = 'customer_changed' AND json_extract(payload, '\$.data.action') = 'register'")" = 1 ] || fail "register record"
out=$(fc customer search 赵六) && grep -q "^$code " <<<"$out" || fail "registered customer not found: $out"
ok "potential customer registered as $code"

# CLI tables with Chinese: valid UTF-8 (nothing cut inside a character) and
# columns aligned by display width (CJK is 2 columns), in the C locale too.
long=合川德信农业科技发展有限公司
sqlite3 "$DB" "UPDATE customers SET name = '$long' WHERE code = 'S0042-I-OT-000003';
	UPDATE staff SET locked_until = '2026-07-01T08:33:00Z', failures = 5 WHERE staff_no = 'T1';
	UPDATE staff SET name = '欧阳王大站长' WHERE staff_no = 'H1'" || fail "fixture for the tables"
out=$(printf '246824\n' | fc complaint add --as H1 --customer S0042-I-OT-000003 --name "$long" \
	"加油站服务员态度很好但是等待时间太长了希望增加加油机数量以及改进排队方式并且延长营业时间谢谢" 2>&1) || fail "complaint add: $out"
# check_table FILE HEADER-WORD...: every line UTF-8; in every row the column
# of each header word starts where the header's does.
check_table() {
	python3 - "$@" <<'PY' || fail "table $1: $(cat "$1")"
import sys, unicodedata
raw = open(sys.argv[1], 'rb').read()
text = raw.decode('utf-8')  # raises on invalid UTF-8
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = [l for l in text.splitlines() if l.strip()]
head = lines[0]
starts = [w(head[:head.index(word)]) for word in sys.argv[2:]]
rows = [l for l in lines[1:] if not l.endswith(' due') and not l.startswith('holiday')]
assert rows, 'no rows'
for l in rows:
    for col in starts:
        # the cell at col starts after a space (a column boundary), and the
        # text before it has exactly col columns
        i, c = 0, 0
        while c < col:
            c += w(l[i]); i += 1
        assert c == col and l[i - 1] == ' ' and l[i] != ' ', (l, col)
PY
}
LC_ALL=C fc staff list >"$T/staff.txt" || fail "staff list"
grep -qF "locked until 2026-07-01 16:33 " "$T/staff.txt" || fail "staff list: $(cat "$T/staff.txt")"
check_table "$T/staff.txt" role state failures
LC_ALL=C fc complaint list >"$T/complaints.txt" || fail "complaint list"
grep -qF "合川德信农业科技" "$T/complaints.txt" || fail "complaint customer: $(cat "$T/complaints.txt")"
check_table "$T/complaints.txt" severity due status customer content
LC_ALL=C fc callback due >"$T/due.txt" || fail "callback due"
grep -qF "合川德信农业科技发展 " "$T/due.txt" || fail "callback due name cut: $(cat "$T/due.txt")"
check_table "$T/due.txt" name tier stability done/req
ok "staff list, complaint list, callback due: valid UTF-8, Chinese cut on characters, columns aligned"
