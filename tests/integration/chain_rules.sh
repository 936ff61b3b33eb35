#!/usr/bin/env bash
# chain_rules.sh — issue 14's rules at one station (S0003, "C") with head
# office's facts set as its master data would set them: a customer fuelling
# only at A is current here, lost after 31 days without fuelling anywhere,
# won back by a fuelling here; the monthly lists use the last purchase at any
# station; callbacks are owed by the owner's station and `lookup --json`
# agrees with `callback due`; the owner's name on the card; staff_changed and
# owner_proposed in the outbox; evaluate-tiers says it counts this station only.
. "$(dirname "$0")/../lib.sh"

export TZ=CST-8
DB=$T/fc.db
cat >"$T/fc.conf" <<CONF
[station]
id = S0003
[auth]
pepper_file = $T/pepper
CONF
NOW=2026-09-10T02:00:00Z               # Thu 09-10 10:00 local
fc() { FORECOURT_NOW=$NOW "$FC" --config "$T/fc.conf" --db "$DB" "$@"; }
json_get() { python3 -c 'import json,sys; o=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }
fc init >/dev/null || fail "init"

# K1 fuels only at A (08-01 .. 09-09): head office's chain_last_purchase_at.
# K2 bought here (08-01 .. 08-09) and at A since.  K3 bought nowhere since
# 07-01; K4 nowhere ever; K5 at A 5 days ago.  K1's owner is named at A.
sqlite3 "$DB" "INSERT INTO customers(id, code, name, nature, industry, tier, stability, home_station,
	owner_staff, owner_name, chain_last_purchase_at, created_at, updated_at) VALUES
	(1, 'K1', '只在A站加油', 'individual', 'other', 'ordinary', 'potential', 'S0001', 7, '王芳',
	 '2026-09-09T03:00:00Z', 'x', 'x'),
	(2, 'K2', '两站都加', 'individual', 'other', 'ordinary', 'potential', NULL, NULL, NULL,
	 '2026-09-08T03:00:00Z', 'x', 'x'),
	(3, 'K3', '七月后没来', 'individual', 'other', 'ordinary', 'potential', 'S0003', NULL, NULL,
	 '2026-07-01T03:00:00Z', 'x', 'x'),
	(4, 'K4', '从未加油', 'individual', 'other', 'ordinary', 'potential', NULL, NULL, NULL,
	 NULL, 'x', 'x'),
	(5, 'K5', '五天前在A', 'individual', 'other', 'ordinary', 'potential', 'S0002', 3, '李雷',
	 '2026-09-05T03:00:00Z', 'x', 'x');
	INSERT INTO cards(card_id, customer_id, kind, status, updated_at) VALUES
	('C1', 1, 'personal', 'active', 'x'), ('C2', 2, 'personal', 'active', 'x'),
	('C3', 3, 'personal', 'active', 'x'), ('C4', 4, 'personal', 'active', 'x'),
	('C5', 5, 'personal', 'active', 'x');
	INSERT INTO visits(id, created_at, customer_id, card_id, pump, grade, volume_ml, amount_fen) VALUES
	('v1', '2026-08-01T03:00:00Z', 2, 'C2', 1, '92#', 40000, 30000),
	('v2', '2026-08-09T03:00:00Z', 2, 'C2', 1, '92#', 40000, 30000);
	UPDATE customers SET last_visit_at = '2026-08-09T03:00:00Z' WHERE id = 2" || fail "fixture"

stab() { q "$DB" "SELECT group_concat(code || '=' || stability, ' ') FROM (SELECT code, stability FROM customers ORDER BY id)"; }
fc classify >/dev/null || fail "classify"
[ "$(stab)" = "K1=current K2=current K3=lost K4=potential K5=current" ] || fail "stability at 09-10: $(stab)"
out=$(fc lookup C1 --json) || fail "lookup C1"
[ "$(json_get "$out" '(o["stability"], o["won_back"], o["last_visit_at"], o["last_purchase_at"])')" = \
	"('current', False, None, '2026-09-09T03:00:00Z')" ] || fail "lookup of K1 at 09-10: $out"
ok "fuelling only at A: current here (last purchase 09-09 at any station), K2 current, never anywhere: potential"

# 31 days without fuelling anywhere: lost everywhere.
NOW=2026-10-11T02:00:00Z
fc classify >/dev/null || fail "classify 10-11"
[ "$(stab)" = "K1=lost K2=lost K3=lost K4=potential K5=lost" ] || fail "stability at 10-11: $(stab)"
out=$(fc lookup C1 --json) || fail "lookup C1"
[ "$(json_get "$out" '(o["stability"], o["won_back"])')" = "('lost', True)" ] || fail "lookup of K1 at 10-11: $out"
# Head office's news between two daily runs: K2 bought at A yesterday.  The
# card shows it current (not won back) at once, the monthly lists too.
sqlite3 "$DB" "UPDATE customers SET chain_last_purchase_at = '2026-10-10T03:00:00Z' WHERE id = 2"
out=$(fc lookup C2 --json) || fail "lookup C2"
[ "$(json_get "$out" '(o["stability"], o["won_back"], o["last_purchase_at"])')" = \
	"('current', False, '2026-10-10T03:00:00Z')" ] || fail "lookup of K2 after head office's news: $out"
ok "31 days without fuelling anywhere: lost everywhere; bought at A since the daily run: current at once"

# Fuelling again here makes K1 won back here.
out=$(fc visit --card C1 --grade 92# --litres 30) || fail "visit K1"
grep -qF "WON BACK" <<<"$out" || fail "visit of K1 not won back: $out"
[ "$(q "$DB" "SELECT won_back FROM visits WHERE customer_id = 1")" = 1 ] || fail "visit row not won back"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.won_back') FROM outbox WHERE type = 'visit'")" = 1 ] ||
	fail "visit record not won back"
[ "$(q "$DB" "SELECT stability FROM customers WHERE id = 1")" = current ] || fail "K1 not current after the visit"
ok "fuelling again here: won back (visit row and record), current"

# The monthly lists: the last purchase at any station; potential = none anywhere.
fc report monthly --month 2026-10 --format json >"$T/report.json" || fail "report"
python3 - "$T/report.json" <<'PY' || fail "monthly lists: $(cat "$T/report.json")"
import json, sys
r = json.load(open(sys.argv[1]))
lists = {k: [(c["code"], c["last_purchase"], c["last_volume_ml"]) for c in r[k]]
         for k in ("won_back", "lost", "potential")}
assert lists["won_back"] == [("K1", "2026-10-11T02:00:00Z", 30000)], lists
# K5 bought at A on 09-05, K3 on 07-01: lost, their last purchase elsewhere (no
# volume known here); K2 bought at A yesterday: not lost
assert lists["lost"] == [("K5", "2026-09-05T03:00:00Z", 0), ("K3", "2026-07-01T03:00:00Z", 0)], lists
assert lists["potential"] == [("K4", None, 0)], lists
assert r["by_stability"] == {"current": 2, "lost": 2, "potential": 1, "swing": 0}, r["by_stability"]
PY
ok "monthly lists: won back K1, lost K5 and K3 with their last purchase at A, potential only K4"

# --- callbacks are owed by the owner's station ------------------------------
# Ordinary individuals are the station's tier: K1 (home S0001) and K5 (S0002)
# are other stations' to call; K2 (home unknown), K3 (here), K4 are ours.
# K3 had a visit report this month, K4 a callback: both done (1 of 1).  A
# holiday on 10-15 makes a callback in the week before it (from 10-08)
# mandatory: K3's report of 10-02 is too early, K4's callback of 10-09 is not.
sqlite3 "$DB" "INSERT INTO visit_reports(id, created_at, customer_id, report_date, quality, attitude, renown)
	VALUES ('r1', '2026-10-02T02:00:00Z', 3, '2026-10-02', 90, 90, 90);
	INSERT INTO callbacks(id, created_at, customer_id, method) VALUES
	('k1', '2026-10-09T02:00:00Z', 4, 'phone')"
due_codes() { fc callback due | awk 'NR > 1 && $1 ~ /^K/ { print $1 }' | sort | tr '\n' ' '; }
lookup_due() {
	local c out line=""
	for c in 1 2 3 4 5; do
		out=$(fc lookup C$c --json) || return 1
		[ "$(json_get "$out" 'o["callback_due"]')" = True ] && line="${line}K$c "
	done
	echo "$line"
}
[ "$(due_codes)" = "K2 " ] || fail "callback due without a holiday: $(fc callback due)"
[ "$(lookup_due)" = "K2 " ] || fail "lookup's callback due: $(lookup_due)"
sqlite3 "$DB" "INSERT INTO holidays(date, kind, name) VALUES ('2026-10-15', 'holiday', '测试节')"
[ "$(due_codes)" = "K2 K3 " ] || fail "callback due with a holiday: $(fc callback due)"
[ "$(lookup_due)" = "K2 K3 " ] || fail "lookup's callback due with a holiday: $(lookup_due)"
fc lookup C3 | grep -qF "callbacks   1 of 1 this month (callback due: a holiday is ahead)" ||
	fail "K3's callbacks line: $(fc lookup C3)"
sqlite3 "$DB" "INSERT INTO visit_reports(id, created_at, customer_id, report_date, quality, attitude, renown)
	VALUES ('r2', '2026-10-10T02:00:00Z', 3, '2026-10-10', 90, 90, 90)"
[ "$(due_codes)" = "K2 " ] || fail "a visit report in the holiday's week: $(fc callback due)"
[ "$(lookup_due)" = "K2 " ] || fail "lookup after the visit report: $(lookup_due)"
fc callback due | grep -qF "holiday 2026-10-15 (测试节) ahead" || fail "holiday not announced"
out=$(fc lookup C1 --json)
[ "$(json_get "$out" '(o["callback_owed"], o["callback_due"], o["callbacks_done"], o["callbacks_required"])')" = \
	"(False, False, 0, 1)" ] || fail "K1 is S0001's: $out"
ok "callback due: only this station's customers (home here or unknown), reports and the holiday count; lookup agrees"

# --- the owner's name on the card ----------------------------------------------
out=$(fc lookup C1 --json)
[ "$(json_get "$out" '(o["owner_name"], o["owner_staff"], o["home_station"], o["maintained_by"])')" = \
	"('王芳', 7, 'S0001', 'station_staff')" ] || fail "owner in lookup --json: $out"
text=$(fc lookup C1) || fail "lookup text"
grep -qF "owner       王芳 (staff 7 at S0001)" <<<"$text" || fail "owner in lookup: $text"
grep -qF "callbacks   0 of 1 this month (owed by S0001, the home station)" <<<"$text" || fail "callbacks line: $text"
out=$(fc lookup C4 --json)
[ "$(json_get "$out" '(o["owner_name"], o["owner_staff"], o["home_station"])')" = "(None, None, None)" ] ||
	fail "no owner: $out"
fc lookup C4 | grep -qF "owner" && fail "an unknown owner printed"
show=$(fc customer show K1) || fail "customer show"
grep -qE "^owner_name +王芳$" <<<"$show" || fail "customer show lacks the owner: $show"
grep -qE "^owner_staff +7$" <<<"$show" || fail "customer show lacks the owner's number: $show"
grep -qE "^last_purchase_at +2026-10-11T02:00:00Z$" <<<"$show" || fail "customer show: last purchase: $show"
ok "owner 王芳 (7 at S0001) in lookup text and --json and customer show"

# --- staff_changed: add, role, disable ------------------------------------------
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "admin"
printf '999999\n246824\n246824\n' | fc staff add H1 王站长 head --as A1 >/dev/null || fail "head"
printf '999999\n1357\n1357\n' | fc staff add T1 赵加油 attendant --as A1 >/dev/null || fail "attendant"
out=$(printf '999999\n' | fc staff role T1 head --as A1 2>&1) && fail "a head without a new PIN"
grep -qF "no PIN given" <<<"$out" || fail "head without PIN: $out"
out=$(printf '999999\n1357\n1357\n' | fc staff role T1 head --as A1 2>&1); rc=$?
[ $rc = 2 ] && grep -qF "a head's PIN is 6 to 12 digits" <<<"$out" || fail "a head with 4 digits: $rc $out"
out=$(printf '999999\n135799\n135799\n' | fc staff role T1 head --as A1) || fail "staff role"
[ "$out" = "staff T1 is now head" ] || fail "staff role: $out"
out=$(printf '999999\n' | fc staff role T1 head --as A1) || fail "staff role again"
[ "$out" = "staff T1 is head already: nothing changed" ] || fail "staff role again: $out"
out=$(printf '999999\n' | fc staff role A1 head --as A1 2>&1); rc=$?
[ $rc = 1 ] && grep -qF "A1 is the last active admin" <<<"$out" || fail "last admin demoted: $rc $out"
printf '999999\n' | fc staff role T1 attendant --as ZZ >/dev/null 2>&1 && fail "role by an unknown admin"
printf '999999\n' | fc staff disable T1 --as A1 >/dev/null || fail "disable"
a1=$(q "$DB" "SELECT id FROM staff WHERE staff_no = 'A1'")
h1=$(q "$DB" "SELECT id FROM staff WHERE staff_no = 'H1'")
t1=$(q "$DB" "SELECT id FROM staff WHERE staff_no = 'T1'")
got=$(q "$DB" "SELECT group_concat(r, ' ') FROM (SELECT json_extract(payload, '\$.staff') || ':' ||
	json_extract(payload, '\$.data.staff') || ':' || json_extract(payload, '\$.data.name') || ':' ||
	json_extract(payload, '\$.data.role') || ':' || json_extract(payload, '\$.data.active') AS r
	FROM outbox WHERE type = 'staff_changed' ORDER BY seq)")
[ "$got" = "$a1:$a1:Li:admin:1 $a1:$h1:王站长:head:1 $a1:$t1:赵加油:attendant:1 $a1:$t1:赵加油:head:1 $a1:$t1:赵加油:head:0" ] ||
	fail "staff_changed records: $got"
[ "$(q "$DB" "SELECT count(*) FROM audit WHERE action = 'staff_role'")" = 1 ] || fail "role change not audited"
fc staff list | grep -E "^T1 .*disabled +0 +$t1$" >/dev/null || fail "staff list lacks the id: $(fc staff list)"
ok "staff_changed for add (3), role (once: the same role changes nothing) and disable, the member after the change"

# --- owner_proposed -----------------------------------------------------------
before=$(q "$DB" "SELECT count(*) FROM outbox")
out=$(printf '246824\n' | fc customer owner K1 7 --reason "常在A站加油，王芳熟悉" --as H1) || fail "propose K1's owner"
[ "$out" = "owner of K1 proposed: staff 7 at S0001; head office applies it when that member is active there" ] ||
	fail "owner proposal output: $out"
got=$(q "$DB" "SELECT json_extract(payload, '\$.staff') || '|' || json_extract(payload, '\$.data.customer_code') || '|' ||
	json_extract(payload, '\$.data.staff') || '|' || json_extract(payload, '\$.data.reason')
	FROM outbox WHERE type = 'owner_proposed'")
[ "$got" = "$h1|K1|7|常在A站加油，王芳熟悉" ] || fail "owner_proposed record: $got"
[ "$(q "$DB" "SELECT detail FROM audit WHERE action = 'owner_propose'")" = "customer K1: owner staff 7 at S0001 proposed" ] ||
	fail "owner proposal not audited"
[ "$(q "$DB" "SELECT owner_staff || ' ' || owner_name FROM customers WHERE id = 1")" = "7 王芳" ] ||
	fail "the proposal changed the owner here (head office decides)"
# home station here (K3) or unknown (K4): an active member of this station
out=$(printf '246824\n' | fc customer owner K3 "$t1" --as H1 2>&1); rc=$?
[ $rc = 1 ] && grep -qF "staff $t1 is not an active staff member of S0003" <<<"$out" || fail "disabled owner: $rc $out"
out=$(printf '246824\n' | fc customer owner K4 99 --as H1 2>&1); rc=$?
[ $rc = 1 ] && grep -qF "staff 99 is not an active staff member of S0003" <<<"$out" || fail "unknown owner: $rc $out"
out=$(printf '246824\n' | fc customer owner NOPE 7 --as H1 2>&1); rc=$?
[ $rc = 1 ] && grep -qF "no customer with code 'NOPE'" <<<"$out" || fail "unknown customer: $rc $out"
out=$(printf '246824\n' | fc customer owner K4 seven --as H1 2>&1); rc=$?
[ $rc = 2 ] || fail "STAFF 'seven': exit $rc $out"
printf '999999\n2222\n2222\n' | fc staff add T2 钱加油 attendant --as A1 >/dev/null || fail "attendant T2"
printf '2222\n' | fc customer owner K4 "$h1" --as T2 >/dev/null 2>&1 && fail "an attendant proposed an owner"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE type = 'owner_proposed'")" = 1 ] || fail "a refused proposal was queued"
printf '246824\n' | fc customer owner K4 "$h1" --as H1 >/dev/null || fail "propose H1 for K4"
[ "$(q "$DB" "SELECT json_extract(payload, '\$.data.reason') FROM outbox WHERE type = 'owner_proposed' ORDER BY seq DESC LIMIT 1")" = "" ] ||
	fail "no --reason: reason not empty"
fc audit verify >/dev/null || fail "audit chain broken"
ok "owner_proposed queued with the head's id and reason; inactive or unknown members here, attendants, unknown codes refused"

# --- evaluate-tiers: this station's visits only --------------------------------
out=$(fc evaluate-tiers --period 2026H2 --dry-run) || fail "evaluate-tiers without head office"
grep -qF "from this station's visits only" <<<"$out" || fail "evaluate-tiers does not say so: $out"
fc evaluate-tiers --help 2>&1 | grep -qF "counts this station's visits" || fail "help: $(fc evaluate-tiers --help 2>&1)"
printf '[upload]\nurl = http://127.0.0.1:9\n' >>"$T/fc.conf"
before=$(q "$DB" "SELECT count(*) FROM tier_history")
out=$(fc evaluate-tiers --period 2026H2 2>&1); rc=$?
[ $rc = 1 ] && grep -qF "head office evaluates the tiers from the litres at all our stations" <<<"$out" &&
	grep -qF -- "--local" <<<"$out" || fail "evaluate-tiers with a head office: $rc $out"
out=$(fc evaluate-tiers --period 2026H2 --dry-run --local) || fail "evaluate-tiers --local"
grep -qF "(head office evaluates those)" <<<"$out" || fail "--local output: $out"
ok "evaluate-tiers: says it counts this station's visits; refused with a head office unless --local"
