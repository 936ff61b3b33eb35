#!/usr/bin/env bash
# hq_chain.sh — three real stations (`forecourt`, their own SQLite files)
# against one real `forecourt-hq` on a private PostgreSQL, no test double:
# head office's archive loaded with `forecourt-hq import` and pulled by the
# stations, a few hundred records of every type the station makes
# (visits, redemptions, registrations, archive edits, complaints and their
# updates, callbacks, visit reports, feedback, blocked cards seen, tier
# changes, audit events) recorded through the station's CLI and synced
# (three stations at once, small batches); every record of every station is
# at head office exactly once, with the same data, and each effect table has
# one row per record; records sent again change nothing; a station posting
# with another station's token is refused (401) and keeps its records
# pending; records head office refuses (unknown customer, bad field) are dead
# letters at the station with head office's code and message; a card
# blocked with `forecourt-hq block` is blocked at all three stations after
# one pull each, and stays blocked when its customer changes later.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"

pg_start
PORT=$(free_port)
hq_conf "$PORT"
hq init >/dev/null || fail "forecourt-hq init"

# Head office's archive, through `forecourt-hq import`: 12 customers with a
# card each, discounts, a card blocked from the start (DEAD0001, C0001's second).
{
	echo "code,name,nature,industry,tier"
	for i in $(seq 1 12); do
		if [ $((i % 2)) = 1 ]; then nat="big,logistics"; else nat="individual,taxi"; fi
		if [ $((i % 3)) = 0 ]; then tier=gold; else tier=ordinary; fi
		echo "C$(printf %04d "$i"),客户$i,$nat,$tier"
	done
} >"$T/customers.csv"
{
	echo "card_id,customer_code,kind"
	for i in $(seq 1 12); do
		if [ $((i % 2)) = 1 ]; then kind=unit; else kind=personal; fi
		echo "A$(printf %07d "$i"),C$(printf %04d "$i"),$kind"
	done
	echo "DEAD0001,C0001,unit"
} >"$T/cards.csv"
printf 'card_id,reason
DEAD0001,挂失
' >"$T/blocked.csv"
printf 'grade,tier,nature,discount_fen_per_litre
92#,gold,big,30
95#,gold,individual,20
' >"$T/prices.csv"
chmod 644 "$T"/*.csv
for kind in customers cards blocked prices; do
	hq import "$kind" "$T/$kind.csv" >"$T/import.out" 2>&1 ||
		fail "forecourt-hq import $kind: $(cat "$T/import.out")"
done
hq_serve

STATIONS="1 2 3"
sid() { echo "S000$1"; }
# st N ARGS...: the station CLI of station N.
st() { local n=$1; shift; "$FC" --config "$T/s$n/fc.conf" --db "$T/s$n/fc.db" "$@"; }
# st_conf N TOKEN_FILE: station N's config, uploading with TOKEN_FILE.
st_conf() {
	printf '[station]\nid = %s\n[auth]\npepper_file = %s/pepper\n[tiers]\nprefer = local\n' \
		"$(sid "$1")" "$T/s$1" >"$T/s$1/fc.conf"
	printf '[upload]\nurl = http://127.0.0.1:%s\ntoken_file = %s\nbatch_max = 25\n' \
		"$PORT" "$2" >>"$T/s$1/fc.conf"
	printf 'connect_timeout_s = 5\ntimeout_s = 60\nbackoff_base_ms = 1\nbackoff_cap_s = 1\n' \
		>>"$T/s$1/fc.conf"
}
sq() { q "$T/s$1/fc.db" "$2"; }
for n in $STATIONS; do
	mkdir -p "$T/s$n"
	hq station add "$(sid "$n")" "$n号站" >/dev/null || fail "station add $(sid "$n")"
	hq station token "$(sid "$n")" >"$T/s$n/token" 2>/dev/null || fail "station token"
	chmod 600 "$T/s$n/token"
	st_conf "$n" "$T/s$n/token"
	st "$n" init >/dev/null || fail "init station $n"
	st "$n" holidays load "$FORECOURT_SRC/config/holidays.conf" >/dev/null || fail "holidays at $n"
	printf '999999\n999999\n' | st "$n" staff add A1 Li admin >/dev/null || fail "admin at $n"
	printf '999999\n246824\n246824\n' | st "$n" staff add H1 Wang head --as A1 >/dev/null ||
		fail "head at $n"
	st "$n" sync --once >"$T/s$n/sync.out" 2>"$T/s$n/sync.err" ||
		fail "first sync of station $n: $(cat "$T/s$n/sync.err")"
	[ "$(sq "$n" "SELECT count(*) FROM customers WHERE code LIKE 'C00%'")" = 12 ] ||
		fail "station $n did not get head office's 12 customers"
	[ "$(sq "$n" "SELECT status FROM cards WHERE card_id = 'DEAD0001'")" = blocked ] ||
		fail "station $n: DEAD0001 not blocked after the pull"
done
ok "3 stations pulled head office's customers, cards, prices and the blocked card"

# Everything a station records, through its CLI.  $1: station, $2: round.
GRADES=("92#" "95#" "98#" "0#")
work() {
	local n=$1 r=$2 i c out id
	for i in $(seq 1 30); do
		c=A$(printf '%07d' $(( (i * 7 + n + r) % 12 + 1 )))
		st "$n" visit --card "$c" --grade "${GRADES[i % 4]}" --litres "$(( 10 + i % 50 )).5" \
			--pump $(( i % 8 + 1 )) >/dev/null || fail "visit $c at station $n"
	done
	st "$n" visit --anonymous --grade 92# --amount 200.00 --pump 2 >/dev/null || fail "anonymous visit"
	for i in 1 2 3 4; do
		st "$n" redeem --card "A$(printf '%07d' $(( (i + n + r) % 12 + 1 )))" --points 5 \
			>/dev/null || fail "redeem at station $n"
	done
	for i in 1 2; do
		c=F${n}${r}0000$i
		out=$(st "$n" register --card "$c" --name "新客$n-$r-$i" --nature individual \
			--industry taxi --phone 1380000000$i) || fail "register $c at $n: $out"
		st "$n" visit --card "$c" --grade 95# --litres 20 --pump 5 >/dev/null ||
			fail "visit of a registered card"
	done
	out=$(printf '246824\n' | st "$n" complaint add --as H1 --severity major --channel phone \
		--customer "C000$(( n + r ))" "找零错误 $n/$r") || fail "complaint at $n: $out"
	id=$(awk '{print $2}' <<<"$out")
	printf '246824\n' | st "$n" complaint resolve "$id" --as H1 --result "退还差额" \
		--handler 王站长 >/dev/null || fail "resolve at $n"
	out=$(printf '246824\n' | st "$n" complaint add --as H1 "油品疑问 $n/$r") ||
		fail "complaint without customer: $out"
	id=$(awk '{print $2}' <<<"$out")
	printf '246824\n' | st "$n" complaint escalate "$id" --as H1 --severity major \
		--reason "客户再次来电" >/dev/null || fail "escalate at $n"
	out=$(printf '246824\n' | st "$n" customer register "潜在车队$n-$r" big logistics \
		"phone=0108888$n$r" --as H1) || fail "customer register at $n: $out"
	for c in C0003 C0006; do
		printf '246824\n' | st "$n" callback add "$c" --as H1 --method phone --contact 张经理 \
			--notes "回访 $n/$r" >/dev/null || fail "callback $c at $n"
	done
	printf '246824\n' | st "$n" callback report C0009 --as H1 --quality excellent \
		--attitude good --renown known --suggestions "多开窗口" --contact 张总 --mobile 13900000001 \
		--business "李主办 $n" --business-phone 023-61230000 --legal-person 张法人 \
		--market 车队扩大 --signoff signed >/dev/null || fail "visit report"
	id=$(sq "$n" "SELECT id FROM visits ORDER BY created_at DESC LIMIT 1")
	st "$n" feedback add 5 --visit "$id" --comment 快 >/dev/null || fail "feedback with visit"
	st "$n" feedback add 3 >/dev/null || fail "feedback"
	printf '246824\n' | st "$n" customer edit C0010 "phone=1390000$n$r" --as H1 >/dev/null ||
		fail "customer edit at $n"
	st "$n" lookup DEAD0001 >/dev/null 2>&1 # blocked: exit 1, a blocked_card_seen record
	printf '0000\n' | st "$n" staff login H1 >/dev/null 2>&1 # a wrong PIN: an audit event
}

# Round 1 everywhere, then the three stations sync at once.
for n in $STATIONS; do work "$n" 1; done
sync_all() {
	local n pids=()
	for n in $STATIONS; do
		st "$n" sync --once >"$T/s$n/sync.out" 2>"$T/s$n/sync.err" &
		pids+=($!)
	done
	for n in $STATIONS; do
		wait "${pids[$((n - 1))]}" || fail "sync of station $n: $(tail -3 "$T/s$n/sync.err")"
	done
}
sync_all
for n in $STATIONS; do
	[ "$(sq "$n" "SELECT count(*) FROM outbox WHERE state = 'pending'")" = 0 ] ||
		fail "station $n: records pending after its sync: $(st "$n" outbox status)"
done
ok "round 1: $(psql_q 'SELECT count(*) FROM records') records delivered by 3 stations syncing at once"

# A customer registered at station 1 is known at the others after their
# next pull (this round's may have run before station 1's records came).
for n in 2 3; do
	st "$n" sync --once >"$T/s$n/sync.out" 2>"$T/s$n/sync.err" || fail "pull at $n: $(cat "$T/s$n/sync.err")"
	st "$n" lookup F1100001 --json >"$T/lookup.json" 2>/dev/null ||
		fail "station $n does not know station 1's new card F1100001"
	grep -qF '"customer_code":"S0001-I-TX-' "$T/lookup.json" ||
		fail "station $n: F1100001 not station 1's customer: $(cat "$T/lookup.json")"
done
for n in $STATIONS; do
	want=$(sq "$n" "SELECT code || '|' || name || '|' || nature || '|' || industry || '|' || phone
		FROM customers WHERE code LIKE '$(sid "$n")-%' ORDER BY code")
	got=$(psql_q "SELECT code || '|' || name || '|' || nature || '|' || industry || '|' || phone
		FROM customers WHERE home_station = '$(sid "$n")' ORDER BY code")
	[ "$(wc -l <<<"$got")" = 3 ] && [ "$got" = "$want" ] ||
		fail "head office's customers registered at station $n: $got; the station's: $want"
done
ok "customers registered at the pump and in the archive are at head office; station 1's card reaches stations 2 and 3"

# Round 2, with the cases head office must refuse or the station must hold.
for n in $STATIONS; do work "$n" 2; done
# Station 2: a customer only it has (head office answers unknown_customer).
sq 2 "INSERT INTO customers(code, name, nature, industry, tier, stability, created_at, updated_at)
	VALUES ('LOCAL01', '本站客户', 'individual', 'other', 'ordinary', 'current', 'x', 'x');
	INSERT INTO cards(card_id, customer_id, kind, status, updated_at)
	VALUES ('BEEF0001', (SELECT id FROM customers WHERE code = 'LOCAL01'), 'personal', 'active', 'x');" ||
	fail "station-only customer"
st 2 visit --card BEEF0001 --grade 92# --litres 30 --pump 1 >/dev/null || fail "visit of LOCAL01"
unknown_id=$(sq 2 "SELECT id FROM outbox WHERE type = 'visit' ORDER BY seq DESC LIMIT 1")
# Station 3: a record whose payload went bad before it was sent.
st 3 visit --card A0000004 --grade 92# --litres 30 --pump 1 >/dev/null || fail "visit at 3"
bad_id=$(sq 3 "SELECT id FROM outbox WHERE type = 'visit' ORDER BY seq DESC LIMIT 1")
sq 3 "UPDATE outbox SET payload = json_set(payload, '\$.data.volume_ml', -5) WHERE id = '$bad_id'"
# Station 3 tier evaluation of this half-year (prefer = local): tier_changed
# records.  A half year is evaluated once it has ended: the clock moved to
# the next one (its visits are today's).
year=$(date -u +%Y)
if [ $(( 10#$(date -u +%m) )) -le 6 ]; then half=1 after=$year-07-02T00:00:00Z
else half=2 after=$((year + 1))-01-02T00:00:00Z; fi
FORECOURT_NOW=$after st 3 evaluate-tiers --local --yes --period "${year}H$half" >/dev/null ||
	fail "evaluate-tiers"
[ "$(sq 3 "SELECT count(*) FROM outbox WHERE type = 'tier_changed'")" -gt 0 ] ||
	fail "no tier_changed record at station 3"

# Station 3 posts with station 1's token: 401, nothing leaves.
pending3=$(sq 3 "SELECT count(*) FROM outbox WHERE state = 'pending'")
st_conf 3 "$T/s1/token"
st 3 sync --once >"$T/s3/sync.out" 2>"$T/s3/sync.err" && fail "station 3 synced with station 1's token"
grep -q '401' "$T/s3/sync.err" || fail "no 401 in the station's message: $(cat "$T/s3/sync.err")"
[ "$(sq 3 "SELECT count(*) FROM outbox WHERE state = 'pending'")" = "$pending3" ] ||
	fail "records left station 3 under another station's token"
st 3 outbox status >"$T/s3/status" || fail "outbox status"
grep -qE "^pending: +$pending3 " "$T/s3/status" || fail "outbox status: $(cat "$T/s3/status")"
grep -q '401' "$T/s3/status" || fail "outbox status does not show the 401: $(cat "$T/s3/status")"
[ "$(psql_q "SELECT max(seq) FROM records WHERE station = 'S0003'")" -lt \
  "$(sq 3 "SELECT min(seq) FROM outbox WHERE state = 'pending'")" ] ||
	fail "head office stored a record station 3 posted with another station's token"
# ... and posting its own records as station 1 (station 1's id and token) is refused per record.
line=$(sq 3 "SELECT payload FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1")
reply=$(printf '%s\n' "$line" | curl -s -H "Authorization: Bearer $(cat "$T/s1/token")" \
	-H 'X-Station-Id: S0001' -H 'Content-Type: application/x-ndjson' --data-binary @- \
	"http://127.0.0.1:$PORT/v1/records")
grep -qF '"code":"station_mismatch"' <<<"$reply" || fail "S0003's record as S0001: $reply"
mismatch_id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$line")
st_conf 3 "$T/s3/token"
ok "another station's token: 401 and $pending3 records still pending; its records under another id: station_mismatch"

sync_all
for n in $STATIONS; do
	[ "$(sq "$n" "SELECT count(*) FROM outbox WHERE state = 'pending'")" = 0 ] ||
		fail "station $n: records pending after its sync: $(st "$n" outbox status)"
done

# Dead letters with head office's code and message.
st 2 outbox dead >"$T/dead2" || fail "outbox dead at 2"
grep -qF "$unknown_id" "$T/dead2" || fail "station 2's dead letters: $(cat "$T/dead2")"
grep -qF "unknown_customer: visit: customer 'LOCAL01' is not in head office's archive" "$T/dead2" ||
	fail "station 2's dead letter message: $(cat "$T/dead2")"
grep -q '^1 dead letter$' "$T/dead2" || fail "station 2: $(cat "$T/dead2")"
st 3 outbox dead >"$T/dead3" || fail "outbox dead at 3"
grep -qF "$bad_id" "$T/dead3" || fail "station 3's dead letters: $(cat "$T/dead3")"
grep -qF "bad_field: visit: field 'volume_ml' must be a whole number 1..10000000" "$T/dead3" ||
	fail "station 3's dead letter message: $(cat "$T/dead3")"
grep -q '^1 dead letter$' "$T/dead3" || fail "station 3: $(cat "$T/dead3")"
[ "$(sq 1 "SELECT count(*) FROM outbox WHERE state = 'dead'")" = 0 ] || fail "dead letters at station 1"
[ "$(psql_q "SELECT string_agg(station || ' ' || id || ' ' || code, ',' ORDER BY station) FROM rejected")" = \
  "S0001 $mismatch_id station_mismatch,S0002 $unknown_id unknown_customer,S0003 $bad_id bad_field" ] ||
	fail "head office's refused records: $(psql_q 'SELECT * FROM rejected')"
[ "$(psql_q "SELECT count(*) FROM records WHERE id IN ('$unknown_id', '$bad_id')")" = 0 ] ||
	fail "a refused record is stored at head office"
ok "refused records are dead letters at the station with head office's code and message"

# check_station N: head office holds exactly the station's records (not dead
# letters): ids, seqs and data equal; one effect row per record.
declare -A EFFECT=([visit]=visits [redemption]=redemptions [customer_registered]=registrations
	[customer_changed]=customer_changes [complaint]=complaints [complaint_update]=complaint_updates
	[callback]=callbacks [visit_report]=visit_reports [feedback]=feedback
	[blocked_card_seen]=blocked_events [tier_changed]=tier_changes [audit]=audit_hashes)
check_station() {
	local n=$1 s t want got
	s=$(sid "$n")
	hq_records_match "$T/s$n/fc.db" "$s" "state <> 'dead'"
	for t in $(sq "$n" "SELECT DISTINCT type FROM outbox"); do
		want=$(sq "$n" "SELECT count(*) FROM outbox WHERE state <> 'dead' AND type = '$t'")
		if [ "$t" = staff_changed ]; then # head office keeps each member once
			want=$(sq "$n" "SELECT count(DISTINCT json_extract(payload, '\$.data.staff'))
				FROM outbox WHERE state <> 'dead' AND type = '$t'")
			got=$(psql_q "SELECT count(*) FROM staff WHERE station = '$s'")
			[ "$got" = "$want" ] || fail "station $n: $got staff at head office, $want members changed"
			continue
		fi
		[ -n "${EFFECT[$t]:-}" ] || fail "station $n makes records of type $t the test does not know"
		got=$(psql_q "SELECT count(*) FROM records WHERE station = '$s' AND type = '$t'")
		[ "$got" = "$want" ] || fail "station $n: $t: $got records at head office, $want at the station"
		# every record that carries an audit row (not only type audit) has its hash there
		[ "$t" = audit ] && want=$(sq "$n" "SELECT count(*) FROM outbox WHERE state <> 'dead'
			AND json_extract(payload, '\$.audit.id') IS NOT NULL")
		got=$(psql_q "SELECT count(*) FROM ${EFFECT[$t]} WHERE station = '$s'")
		[ "$got" = "$want" ] || fail "station $n: ${EFFECT[$t]}: $got rows at head office, $want $t records"
	done
	# the ledger: earned points of visits of a customer, and redemptions
	want=$(sq "$n" "SELECT count(*) || ' ' || coalesce(sum(CASE type WHEN 'visit' THEN
		json_extract(payload, '\$.data.points_earned') ELSE -json_extract(payload, '\$.data.points') END), 0)
		FROM outbox WHERE state <> 'dead' AND (type = 'redemption' OR (type = 'visit'
		AND json_extract(payload, '\$.data.customer_code') IS NOT NULL
		AND json_extract(payload, '\$.data.points_earned') <> 0))")
	got=$(psql_q "SELECT count(*) || ' ' || coalesce(sum(delta), 0) FROM points_ledger WHERE station = '$s'")
	[ "$got" = "$want" ] || fail "station $n: points ledger rows/sum $got at head office, $want at the station"
	want=$(sq "$n" "SELECT count(*) || ' ' || sum(v.volume_ml) || ' ' || sum(v.amount_fen) || ' ' ||
		sum(v.points_earned) FROM visits v JOIN outbox o ON o.id = v.id WHERE o.state <> 'dead'")
	got=$(psql_q "SELECT count(*) || ' ' || sum(volume_ml) || ' ' || sum(amount_fen) || ' ' ||
		sum(points_earned) FROM visits WHERE station = '$s'")
	[ "$got" = "$want" ] || fail "station $n: visits (count, ml, fen, points) $got at head office, $want at the station"
	# refused: the station's dead letters, and station 1's record from station 3
	want=$(sq "$n" "SELECT max(seq) || '|' || max(seq) || '|' || count(*) FILTER (WHERE state <> 'dead')
		|| '|' || (count(*) FILTER (WHERE state = 'dead') + $(( n == 1 ))) FROM outbox")
	got=$(psql_q "SELECT station_seq || '|' || max_seq || '|' || records || '|' || rejected
		FROM stations WHERE id = '$s'")
	[ "$got" = "$want" ] || fail "station $n: station_seq|max_seq|records|rejected $got, want $want"
}
for n in $STATIONS; do check_station "$n"; done
total=$(psql_q "SELECT count(*) || ' records, ' || count(DISTINCT id) || ' distinct, ' ||
	count(DISTINCT type) || ' types' FROM records")
ok "every record of every station at head office once, same data, one effect row each: $total"
# the visit-report form (issue 16): head office's effect row holds both contacts
[ "$(psql_q "SELECT count(*) FROM visit_reports WHERE contact_name = '张总' AND
	principal_mobile = '13900000001' AND business_name = '李主办 ' || right(station, 1) AND
	business_phone = '023-61230000' AND business_title IS NULL AND legal_person = '张法人' AND
	market = '车队扩大' AND signoff = 'signed'")" = "$(psql_q "SELECT count(*) FROM visit_reports")" ] ||
	fail "visit reports at head office: $(psql_q "SELECT * FROM visit_reports")"
ok "head office's visit reports hold the principal and the business contact"

# Sent again (a lost acknowledgement): accepted, no second effect.
before=$(psql_q "SELECT (SELECT count(*) FROM records) || '/' || (SELECT count(*) FROM visits) || '/' ||
	(SELECT sum(delta) FROM points_ledger) || '/' || (SELECT count(*) FROM registrations)")
sq 1 "UPDATE outbox SET state = 'pending', sent_at = NULL WHERE seq IN (SELECT seq FROM outbox
	WHERE state = 'sent' ORDER BY seq DESC LIMIT 60)"
st 1 sync --once >"$T/s1/sync.out" 2>"$T/s1/sync.err" || fail "resend: $(cat "$T/s1/sync.err")"
[ "$(sq 1 "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] || fail "resent records not sent"
after=$(psql_q "SELECT (SELECT count(*) FROM records) || '/' || (SELECT count(*) FROM visits) || '/' ||
	(SELECT sum(delta) FROM points_ledger) || '/' || (SELECT count(*) FROM registrations)")
[ "$after" = "$before" ] || fail "records sent again changed head office: $before -> $after"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -qE '^forecourt_hq_records_total\{result="duplicate"\} 60$' ||
	fail "duplicates not counted: $(curl -s "http://127.0.0.1:$PORT/metrics" | grep records_total)"
check_station 1
ok "60 records sent again: accepted as duplicates, no second effect"

# A card blocked at head office: blocked at every station after one pull.
for n in $STATIONS; do
	st "$n" lookup A0000002 >/dev/null 2>&1 || fail "A0000002 not usable at station $n before the block"
done
hq block A0000002 "司机报失" >"$T/block.out" 2>&1 || fail "forecourt-hq block: $(cat "$T/block.out")"
for n in $STATIONS; do
	st "$n" sync --once >"$T/s$n/sync.out" 2>"$T/s$n/sync.err" || fail "pull at $n: $(cat "$T/s$n/sync.err")"
	st "$n" lookup A0000002 >/dev/null 2>"$T/lookup.err" && fail "A0000002 still usable at station $n"
	grep -qF "card ****0002 is blocked: 司机报失" "$T/lookup.err" ||
		fail "station $n lookup of the blocked card: $(cat "$T/lookup.err")"
done
# Its customer (C0002) changes afterwards at station 1: the card stays blocked.
printf '246824\n' | st 1 customer edit C0002 "phone=13700000000" --as H1 >/dev/null || fail "edit C0002"
sync_all
for n in $STATIONS; do st "$n" sync --once >/dev/null 2>&1 || fail "second pull at $n"; done
for n in $STATIONS; do
	[ "$(sq "$n" "SELECT phone FROM customers WHERE code = 'C0002'")" = 13700000000 ] ||
		fail "station $n did not get C0002's new phone"
	st "$n" lookup A0000002 >/dev/null 2>&1 && fail "A0000002 usable again at station $n after its customer changed"
done
sync_all # the blocked_card_seen records of these lookups
for n in $STATIONS; do check_station "$n"; done
ok "a card blocked with forecourt-hq block is blocked at all 3 stations after one pull, and stays so"
hq_stop
ok "forecourt-hq stopped on SIGTERM, no sanitizer report in its log"
