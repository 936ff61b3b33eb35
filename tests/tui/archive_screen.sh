#!/usr/bin/env bash
# archive_screen.sh — Home, the customer archive, in the real kiosk on a small
# demo database: a Chinese name substring finds the customer, a head edits
# the phone (saved, outbox record with the staff id), a bad yearly demand is
# refused with a message and changes nothing, a potential customer is
# registered under a generated code, an attendant sees the card read only
# (also when opened by swiping the customer's card on the search screen).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/head_fixture.sh"
export TZ=CST-8
cat >"$T/fc.conf" <<CONF
[station]
id = S0001
[reader]
port = $T/reader
protocol = em4100
debounce_ms = 0
[ui]
locale = zh_CN
[auth]
pepper_file = $T/pepper
[complaints]
holidays_file = $FORECOURT_SRC/config/holidays.conf
CONF
feed_start "$T" || fail "pty reader"
fc demo --customers 300 --build-only >/dev/null || fail "demo database"
head_staff
printf '999999\n1357\n1357\n' | fc staff add T1 赵加油 attendant --as A1 >/dev/null || fail "attendant"
head_id=$(q "$DB" "SELECT id FROM staff WHERE staff_no = 'H1'")

# A customer whose 2-character name substring (from the middle) is unique.
pick=$(q "$DB" "SELECT c.code || '|' || substr(c.name, 3, 2) FROM customers c
	WHERE length(c.name) >= 5 AND c.phone IS NOT NULL
	AND (SELECT count(*) FROM customers d WHERE instr(d.name, substr(c.name, 3, 2)) > 0) = 1
	ORDER BY c.id LIMIT 1")
code=${pick%%|*} part=${pick#*|}
[ -n "$code" ] && [ -n "$part" ] || fail "no customer with a unique name part in the demo data"
name=$(q "$DB" "SELECT name FROM customers WHERE code = '$code'")
echo "# customer $code $name, searching for '$part'"

login() { # staff_no pin: F6 logs out whoever is logged in, then in
	tui_keys k F6
	# (the logout prompt, not the key bar's "F6退出登录" shown before F6 is taken)
	wait_for 10 sh -c 'tmux -L "$1" capture-pane -p -t k | grep -qE "上班登录|Enter：退出登录"' _ "$TMUX_SOCKET" ||
		fail "F6 showed no login or logout: $(tui_screen k)"
	if screen_has k "Enter：退出登录"; then
		tui_keys k Enter
		tui_wait k 10 "已退出登录" || fail "no logout"
		tui_keys k F6
	fi
	tui_wait k 10 "上班登录" || fail "no login form"
	tui_keys k -l "$1"
	tui_keys k Tab
	tui_keys k -l "$2"
	tui_keys k Enter
	tui_wait k 10 "已登录" || fail "login of $1 failed"
}

kiosk_start k "$T" 100 30 || fail "kiosk"
tui_wait k 20 "F6" || fail "kiosk did not start"
tui_keys k Home
tui_wait k 10 "请先按 F6 登录" || fail "archive opened without a login"
login H1 246824
tui_keys k Home
tui_wait k 10 "客户档案" || fail "Home did not open the archive"
tui_wait k 5 "输入名称、电话、车牌或客户代码的任意部分" || fail "no search prompt"
tui_keys k F1
tui_wait k 5 "查询客户档案" || fail "F1 does not explain Home"
tui_wait k 5 "下一页" || fail "F1 does not list PgDn"
tui_keys k Escape
# Paging: 有限公司 (27 demo names) fills the first page (20) beyond the 19 rows shown.
tui_wait k 5 "查询：" || fail "F1 Esc did not return"
n=$(q "$DB" "SELECT count(*) FROM customers WHERE instr(name, '有限公司') > 0")
[ "$n" -gt 20 ] || fail "the demo data has only $n names with 有限公司"
tui_keys k -l "有限公司"
tui_wait k 10 "前 20 条结果" || fail "no full first page for 有限公司: $(tui_screen k)"
tui_wait k 5 "第 1-18 条，共 20 条" || fail "no page indicator"
tui_keys k NPage
tui_wait k 5 "第 19-20 条，共 20 条" || fail "PgDn did not page"
tui_keys k PPage
tui_wait k 5 "第 1-18 条，共 20 条" || fail "PgUp did not page back"
tui_keys k BSpace BSpace BSpace BSpace
tui_wait k 5 "输入名称、电话、车牌或客户代码的任意部分" || fail "erasing the query did not clear the list"
ok "F1 help, paging through the first page of 有限公司 (20 hits, 18 rows under a two-row key bar)"
# A plate typed with the middle dot finds the plate stored without it.
prow=$(q "$DB" "SELECT c.code || '|' || substr(c.plate, 1, 2) || '·' || substr(c.plate, 3) || '|' || (length(c.plate) + 1)
	FROM customers c WHERE c.plate IS NOT NULL
	AND (SELECT count(*) FROM customers d WHERE d.plate = c.plate) = 1 ORDER BY c.id LIMIT 1")
pcode=${prow%%|*} prest=${prow#*|} typed=${prow#*|} typed=${typed%|*} plen=${prow##*|}
[ -n "$pcode" ] && [ "$typed" != "$prest" ] || fail "no demo customer with a unique plate"
tui_keys k -l "$typed"
tui_wait k 10 "$pcode" || fail "plate '$typed' did not find $pcode: $(tui_screen k)"
tui_wait k 5 "找到 1 位客户" || fail "not exactly one hit for the plate '$typed'"
for _ in $(seq "$plen"); do tui_keys k BSpace; done
tui_wait k 5 "输入名称、电话、车牌或客户代码的任意部分" || fail "erasing the plate did not clear the list"
ok "plate typed as '$typed' (stored without the dot) finds $pcode"
tui_keys k -l "$part"
tui_wait k 10 "$code" || fail "'$part' did not find $code"
tui_wait k 5 "找到 1 位客户" || fail "not exactly one hit for '$part'"
tui_screen k | grep -F "$code" | grep -qF "$name" || fail "row of $code lacks the name $name"
ok "search for '$part' lists $code $name"

tui_keys k Enter
tui_wait k 10 "客户档案卡 $code" || fail "card not opened"
for label in 联系人 地址 车牌/车辆 常用油品 年需求量 加油周期 其他加油渠道 潜在需求 单位负责人 经办人 个性化需求 行业 客户性质 类别： 等级： 积分： 综合评价： 最近加油：; do
	tui_wait k 10 "$label" || fail "card lacks '$label'"
done
tui_wait k 10 "客户性质由卡片决定" || fail "the card does not say the nature follows the cards"
old_phone=$(q "$DB" "SELECT phone FROM customers WHERE code = '$code'")
tui_keys k Down Down                  # name, contact, phone
for _ in $(seq ${#old_phone}); do tui_keys k BSpace; done
tui_keys k -l 13912345678
tui_keys k Enter
tui_wait k 10 "已保存" || fail "phone edit not saved"
[ "$(q "$DB" "SELECT phone FROM customers WHERE code = '$code'")" = 13912345678 ] ||
	fail "phone in the DB: $(q "$DB" "SELECT phone FROM customers WHERE code = '$code'")"
rec=$(q "$DB" "SELECT json_extract(payload, '\$.staff') || '|' || json_extract(payload, '\$.data.customer_code')
	|| '|' || json_extract(payload, '\$.data.changes[0].field') || '|' || json_extract(payload, '\$.data.changes[0].old')
	|| '|' || json_extract(payload, '\$.data.changes[0].new') FROM outbox WHERE type = 'customer_changed'")
[ "$rec" = "$head_id|$code|phone|$old_phone|13912345678" ] || fail "outbox record: $rec"
ok "head edited the phone of $code: saved, DB row and customer_changed record by staff $head_id"

# A bad yearly demand: letters refused with a message naming the field; nothing changes.
before=$(sqlite3 "$DB" "SELECT * FROM customers WHERE code = '$code'; SELECT count(*) FROM outbox" | md5sum)
tui_keys k Down Down Down Down        # address, plate, fuel grades, yearly demand
tui_keys k -l "lots"
tui_wait k 5 "年需求量（升）：只能输入数字" || fail "no message for letters in the yearly demand"
tui_keys k Enter
tui_wait k 5 "无需保存" || fail "refused input was saved"
[ "$(sqlite3 "$DB" "SELECT * FROM customers WHERE code = '$code'; SELECT count(*) FROM outbox" | md5sum)" = "$before" ] ||
	fail "a refused yearly demand changed the database"
ok "letters in the yearly demand refused with a message, database unchanged"

# The first character typed into a field replaces its value (like selecting
# it); the core checks the range on save, naming the field.
old_litres=$(q "$DB" "SELECT coalesce(yearly_litres, '') FROM customers WHERE code = '$code'")
tui_keys k Up Down                    # fuel grades, back to yearly demand
tui_keys k -l 9999
tui_keys k Enter
tui_wait k 10 "已保存" || fail "yearly demand not saved: $(tui_screen k)"
[ "$(q "$DB" "SELECT yearly_litres FROM customers WHERE code = '$code'")" = 9999 ] ||
	fail "typed 9999 over $old_litres stored $(q "$DB" "SELECT yearly_litres FROM customers WHERE code = '$code'")"
tui_keys k BSpace                     # Backspace edits the value: 999, then 8
tui_keys k -l 8
tui_keys k Enter
wait_for 10 sh -c '[ "$(sqlite3 "$1" "SELECT yearly_litres FROM customers WHERE code = '"'"'$2'"'"'")" = 9998 ]' _ "$DB" "$code" ||
	fail "Backspace then 8 did not store 9998: $(q "$DB" "SELECT yearly_litres FROM customers WHERE code = '$code'")"
before=$(sqlite3 "$DB" "SELECT * FROM customers WHERE code = '$code'; SELECT count(*) FROM outbox" | md5sum)
tui_keys k -l 200000000               # the focus stayed: replaces 9999 again
tui_keys k Enter
tui_wait k 5 "未保存：年需求量 200000000 超出范围（0-100000000 升）" ||
	fail "no range message: $(tui_screen k)"
[ "$(sqlite3 "$DB" "SELECT * FROM customers WHERE code = '$code'; SELECT count(*) FROM outbox" | md5sum)" = "$before" ] ||
	fail "an out-of-range yearly demand changed the database"
ok "typing replaces the yearly demand ($old_litres -> 9999, not appended), Backspace edits (9998); 200000000 refused by the range check"

# Esc with an unsaved change asks first; the second Esc discards it.
tui_keys k Down                       # refuelling cycle
tui_keys k -l 7
tui_keys k Escape
tui_wait k 5 "有未保存的修改：回车保存，再按 Esc 放弃" || fail "Esc left unsaved changes silently"
tui_wait k 10 "客户档案卡 $code" || fail "the first Esc left the card"
tui_keys k Escape
tui_wait k 10 "查询：" || fail "the second Esc did not go back"
[ "$(sqlite3 "$DB" "SELECT * FROM customers WHERE code = '$code'; SELECT count(*) FROM outbox" | md5sum)" = "$before" ] ||
	fail "a discarded change was stored"
ok "Esc with an unsaved change warns, Esc again discards it"

# Register a potential customer from the search screen (Ins).
tui_wait k 10 "查询：" || fail "Esc did not return to the search screen"
tui_screen k | grep -F "$code" | grep -qF 13912345678 || fail "the list does not show the new phone"
tui_keys k IC
tui_wait k 10 "登记潜在客户" || fail "no registration form"
tui_keys k Enter
tui_wait k 5 "未登记：请填写“名称”" || fail "empty name not refused"
tui_keys k -l "渝北新客运输公司"
tui_keys k Down; tui_keys k -l 1      # nature: big
tui_keys k Down; tui_keys k -l 2      # industry: logistics
tui_keys k Down; tui_keys k -l 13700001234 # phone
tui_keys k Enter
tui_wait k 10 "已登记：潜在客户 渝北新客运输公司" || fail "registration not confirmed"
new=$(tui_screen k | grep -o 'S0001-B-LG-[0-9]\{6\}' | head -n 1)
[ -n "$new" ] || fail "no generated code on screen: $(tui_screen k)"
want=$(q "$DB" "SELECT printf('S0001-B-LG-%06d', max(CAST(substr(code, 12) AS INTEGER))) FROM customers
	WHERE code LIKE 'S0001-B-LG-______' AND code <> '$new'")
[ "$(q "$DB" "SELECT printf('S0001-B-LG-%06d', substr('$want', 12) + 1)")" = "$new" ] ||
	fail "code $new is not the next after $want"
[ "$(q "$DB" "SELECT name || '|' || stability || '|' || nature || '|' || industry || '|' || phone FROM customers WHERE code = '$new'")" = \
	"渝北新客运输公司|potential|big|logistics|13700001234" ] || fail "registered row: $(q "$DB" "SELECT * FROM customers WHERE code = '$new'")"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.staff') FROM outbox WHERE type = 'customer_changed'
	AND json_extract(payload, '\$.data.action') = 'register'")" = "$head_id" ] || fail "no register record"
tui_wait k 5 "找到 1 位客户" || fail "the new customer is not listed"
ok "potential customer registered as $new (next after $want), listed and queued"

# The head logs out on the open card (F6) and an attendant logs in: the card
# turns read only, typing is refused with a message, registering too.
tui_keys k Enter
tui_wait k 10 "客户档案卡 $new" || fail "card of $new not opened"
tui_wait k 5 "上/下：字段" || fail "the head's card is not editable"
login T1 1357
tui_wait k 10 "客户档案卡 $new" || fail "login did not return to the card"
tui_wait k 10 "只读：只有站长或管理员可以修改客户档案" || fail "the card stayed editable after the head logged out"
before=$(sqlite3 "$DB" "SELECT * FROM customers; SELECT count(*) FROM outbox" | md5sum)
tui_keys k -l 5
tui_wait k 5 "未修改：您只能查看此档案卡" || fail "typing on a read-only card gave no message"
tui_keys k Enter
tui_keys k BSpace
tui_keys k Escape
tui_wait k 10 "查询：" || fail "Esc did not leave the read-only card"
for _ in $(seq 17); do tui_keys k BSpace; done
tui_keys k -l "$part"
tui_wait k 10 "$code" || fail "attendant search for '$part'"
tui_keys k IC
tui_wait k 5 "只有站长或管理员可以登记客户" || fail "attendant registration not refused"
# A swiped card on the search screen opens its customer's card (read only here).
swipe "$T" "$CARD_UNKNOWN"
tui_wait k 10 "此卡未登记：请按名称、电话或车牌查询" || fail "unknown card on the search screen"
card=$(q "$DB" "SELECT card_id FROM cards WHERE status = 'active' ORDER BY card_id LIMIT 1")
owner=$(q "$DB" "SELECT c.code FROM cards k JOIN customers c ON c.id = k.customer_id WHERE k.card_id = '$card'")
swipe "$T" "$card"
tui_wait k 10 "客户档案卡 $owner" || fail "swiping $card did not open the card of $owner"
tui_wait k 10 "只读：只有站长或管理员可以修改客户档案" || fail "swiped card not read only for the attendant"
tui_keys k Escape
tui_wait k 10 "查询：" || fail "Esc from the swiped card"
[ "$(sqlite3 "$DB" "SELECT * FROM customers; SELECT count(*) FROM outbox" | md5sum)" = "$before" ] ||
	fail "an attendant changed the database"
ok "attendant: card read only (also one opened by the head before, and one by swiping $card), registration refused, database unchanged"
tui_keys k Escape
kiosk_quit k "$T" || fail "kiosk did not quit cleanly"

# 80x24: the card's fields, hint and the head's error all fit; nothing too wide.
kiosk_start s "$T" 80 24 || fail "small kiosk"
tui_wait s 20 "F6" || fail "small kiosk did not start"
head_archive s
tui_keys s -l "$code"
tui_wait s 10 "找到 1 位客户" || fail "code $code not found (80x24)"
tui_keys s Enter
tui_wait s 10 "客户性质" || fail "card cut at 80x24: $(tui_screen s)"
tui_wait s 5 "上/下：字段" || fail "no hint at 80x24: $(tui_screen s)"
for _ in $(seq 20); do tui_keys s BSpace; done  # the name, emptied
tui_keys s Enter
tui_wait s 5 "未保存：请填写“名称”" || fail "empty name not refused on screen at 80x24: $(tui_screen s)"
tui_screen s >"$T/small.txt"
python3 - "$T/small.txt" <<'PY' || fail "80x24 card layout"
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if w(l) > 80 or "\ufffd" in l]
print("\n".join(bad)); sys.exit(1 if bad else 0)
PY
[ "$(q "$DB" "SELECT name FROM customers WHERE code = '$code'")" = "$name" ] || fail "an empty name was stored"
ok "80x24: card with hint and error on screen, empty name refused, nothing wider than 80"
tui_keys s Escape Escape Escape
kiosk_quit s "$T" || fail "small kiosk did not quit cleanly"
