#!/usr/bin/env bash
# input_checks.sh — issue 15's inputs through the CLI: arguments are UTF-8
# like files (a GBK terminal is refused, nothing saved); exit codes 0 ok,
# 1 failure, 2 usage or bad value everywhere; an unknown option named, an
# option of another verb refused, a number too large said so; dates of no
# real day refused; `visit --card ""` is no anonymous fuelling; text fields
# refuse control characters and blanks naming the field; heads' and
# admins' PINs have 6 digits; a wrong staff number answers like a wrong PIN.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8 FORECOURT_NOW=2026-03-10T02:00:00Z   # Tue 03-10 10:00 local
printf '[station]\nid = S0042\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }
DB=$T/fc.db
fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n246824\n246824\n' | fc staff add H1 Wang head --as A1 >/dev/null || fail "head"
sqlite3 "$DB" "INSERT INTO customers(id, code, name, nature, industry, tier, stability, created_at, updated_at)
	VALUES (1, 'C001', '张三运输', 'big', 'logistics', 'ordinary', 'current', 'x', 'x');
	INSERT INTO cards(card_id, customer_id, kind, status, updated_at)
	VALUES ('AB12CD34', 1, 'unit', 'active', 'x')" || fail "fixture"
# state: everything a refused action could have left behind (a login by
# --as before it is refused is audited: that row is no trace of the action)
state() { sqlite3 "$DB" "SELECT * FROM customers; SELECT count(*) FROM outbox WHERE type <> 'audit';
	SELECT count(*) FROM audit WHERE action NOT IN ('login', 'login_failed');
	SELECT count(*) FROM visits; SELECT count(*) FROM complaints; SELECT count(*) FROM callbacks;
	SELECT count(*) FROM visit_reports; SELECT count(*) FROM feedback" | md5sum; }
# expect RC PATTERN COMMAND...: COMMAND exits RC and says PATTERN (fixed text).
expect() {
	local rc=$1 pattern=$2 out got
	shift 2
	out=$("$@" 2>&1); got=$?
	[ "$got" = "$rc" ] || fail "$*: exit $got, not $rc: $out"
	grep -qF -- "$pattern" <<<"$out" || fail "$*: no '$pattern' in: $out"
}
before=$(state)

# --- 1. a value not UTF-8 (a GBK terminal's 张三) fails the action -----------
gbk=$(printf '\xd5\xc5\xc8\xfd')
expect 2 "'address=\\xd5\\xc5\\xc8\\xfd' is not UTF-8 (byte 9)" \
	sh -c 'printf "246824\n" | "$@"' _ "$FC" --config "$T/fc.conf" --db "$DB" customer edit C001 \
	"address=$gbk" --as H1
expect 2 "is not UTF-8" fc register --card 0A0A0A0A --name "$gbk" --nature big --industry other
expect 2 "is not UTF-8" fc complaint list "$gbk"
[ "$(state)" = "$before" ] || fail "a refused GBK value changed the database"
ok "arguments that are not UTF-8 refused with exit 2, nothing saved (no field without its record)"

# --- 2. exit codes, options, numbers, dates ------------------------------------
expect 2 "--card: no card id given (--anonymous records a fuelling without a card)" \
	fc visit --card "" --grade 92# --litres 30
expect 2 "--card: card id: character 1 ('z') is not a hex digit" fc visit --card zz --grade 92# --litres 30
expect 2 "RATING: '6' is too large (at most 5)" fc feedback add 6
expect 2 "RATING: '99999999999999999999' is too large (at most 5)" fc feedback add 99999999999999999999
expect 2 "RATING: '0' is too small (at least 1)" fc feedback add 0
expect 2 "--points: a whole number above zero" fc redeem --card AB12CD34 --points 0
expect 2 "'1000000000000000000000' is too large" fc visit --card AB12CD34 --grade 92# --litres 1000000000000000000000
expect 2 "--seconds: '99999999999999999999' is too large (at most 86400)" fc reader-test --seconds 99999999999999999999
expect 2 "unknown option '--bogus'" fc visit --bogus --grade 92#
expect 2 "option '--grade' needs a value" fc visit --anonymous --grade
expect 2 "unknown option '--bogus'" fc complaint list --bogus
expect 2 "unknown option '--bogus'" fc evaluate-tiers --bogus
expect 2 "unknown option '--bogus'" fc outbox status --bogus
expect 2 "unknown option '--bogus'" fc sync --bogus
expect 2 "--result is not an option of add" fc complaint add --as H1 --result done "x"
expect 2 "--notes is not an option of report" fc callback report C001 --as H1 --notes x
expect 2 "--as is not an option of list" fc staff list --as A1
expect 2 "--days is for a special complaint" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" complaint add --as H1 --days 3 "油价牌看不清"
expect 2 "--approved-by is for a special complaint" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" complaint add --as H1 --severity major --approved-by Sun "x"
expect 2 "--received '2026-02-30T08:00:00Z' is not a time" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" complaint add --as H1 --received 2026-02-30T08:00:00Z "x"
expect 2 "'2026-02-30' is not a date" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" callback report C001 --as H1 --quality good \
	--attitude good --renown known --date 2026-02-30
expect 2 "unknown option '--bogus'" fc --bogus lookup AB12CD34
[ "$(state)" = "$before" ] || fail "a refused command changed the database"
# failures that are no bad value stay 1
expect 1 "card ****CAFE is not registered" fc lookup 0BADCAFE
expect 1 "no customer with code 'NOPE'" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" callback add NOPE --as H1 --method phone --notes x
ok "bad values and usage exit 2 (feedback 6, --date 2026-02-30, --card \"\"), options named, too large said"

# --- 8. text fields: control characters and blanks, the field named ------------
expect 2 "field 'name': control characters (tab, newline, escape ...) are not allowed" \
	fc register --card 0A0A0A0A --name $'a\tb\nc' --nature big --industry other
expect 2 "field 'name': only blanks" fc register --card 0A0A0A0A --name '   ' --nature big --industry other
expect 2 "field 'content': control characters" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" complaint add --as H1 $'油价\e[2J'
expect 2 "field 'category': only blanks" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" complaint add --as H1 --category ' ' "油价"
expect 2 "field 'notes': control characters" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" callback add C001 --as H1 --method phone --notes $'ok\rfine'
expect 2 "field 'suggestions': control characters" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" callback report C001 --as H1 --quality good \
	--attitude good --renown known --suggestions $'a\x07'
expect 2 "field 'address': control characters" sh -c 'printf "246824\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" customer edit C001 $'address=路\t1号' --as H1
expect 2 "field 'comment': only blanks" fc feedback add 5 --comment '  '
[ "$(state)" = "$before" ] || fail "a refused text changed the database"
out=$(fc register --card 0A0A0A0A --name '张 三' --nature individual --industry other) ||
	fail "a name with a space inside: $out"
ok "control characters and blank-only texts refused naming the field; a space inside is fine"

# --- 3. PINs: 6 digits for heads and admins; a wrong number answers like a wrong PIN
expect 2 "a head's PIN is 6 to 12 digits" sh -c 'printf "999999\n2468\n2468\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" staff add H2 Zhao head --as A1
expect 2 "an admin's PIN is 6 to 12 digits" sh -c 'printf "999999\n12345\n12345\n" | "$@"' _ \
	"$FC" --config "$T/fc.conf" --db "$DB" staff add A2 Qian admin --as A1
printf '999999\n1357\n1357\n' | fc staff add T1 Zhou attendant --as A1 >/dev/null ||
	fail "an attendant with 4 digits"
wrong_pin=$(printf '000000\n' | fc staff login H1 2>&1)
wrong_no=$(printf '000000\n' | fc staff login H9 2>&1)
[ "$wrong_pin" = "$wrong_no" ] && [ "$wrong_no" = "forecourt: wrong staff number or PIN" ] ||
	fail "wrong PIN '$wrong_pin' and wrong number '$wrong_no' differ"
ok "heads and admins need 6 digits; a wrong number and a wrong PIN get the same answer"
