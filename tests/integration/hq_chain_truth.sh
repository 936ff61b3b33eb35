#!/usr/bin/env bash
# hq_chain_truth.sh — the chain's truth at every station (issue 14), with the
# real programs: a private PostgreSQL, the real forecourt-hq, three station
# databases A B C (S0001..S0003) and `forecourt sync --once` at each, the
# stations' clock injected (FORECOURT_NOW).
#  - stability: fuelling only at A for 40 days is current at B and C; 31
#    days without fuelling anywhere is lost everywhere; fuelling again at C
#    is won back at C and current at A and B;
#  - points: 500 earned at A show at B exactly once, also when A's records
#    reached head office on a USB stick (outbox export + forecourt-hq
#    records) before A's own upload, and when A's acknowledgement was lost
#    (a proxy drops head office's reply); redeeming them at B leaves 0
#    everywhere;
#  - tiers: 12 000 L at A + 9 000 L at B make the big customer diamond at
#    all three after head office evaluates the half-year;
#  - owner: the owner head office names at A's shows on B's card, and B
#    owes no callback for A's customer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"
: "${FORECOURT_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
PY=$(command -v /usr/bin/python3 || command -v python3)
export TZ=CST-8

pg_start
PORT=$(free_port)
hq_conf "$PORT"
hq init >/dev/null || fail "init"
mkdir -p "$T/files" && chmod 755 "$T/files"
cat >"$T/files/customers.csv" <<'EOF'
code,name,nature,industry,tier,points
S0000-I-TX-000001,稳定客户,individual,taxi,ordinary,0
S0000-I-TX-000002,积分客户,individual,taxi,ordinary,0
S0000-B-LG-000003,大客户物流,big,logistics,ordinary,0
EOF
cat >"$T/files/cards.csv" <<'EOF'
card_id,customer_code,kind
00000C01,S0000-I-TX-000001,personal
00000C02,S0000-I-TX-000002,personal
00000B03,S0000-B-LG-000003,unit
EOF
chmod 644 "$T/files"/*.csv
hq import customers "$T/files/customers.csv" >/dev/null || fail "import customers"
hq import cards "$T/files/cards.csv" >/dev/null || fail "import cards"
hq_serve

# the proxy that can lose head office's answer to A
"$PY" "$FORECOURT_SRC/tests/tools/drop_proxy.py" "$PORT" "$T/drop" >"$T/proxy.port" 2>"$T/proxy.log" &
BG_PIDS+=("$!") && disown
wait_for 20 test -s "$T/proxy.port" || fail "proxy did not start: $(cat "$T/proxy.log")"
PROXY=$(cat "$T/proxy.port")

for st in S0001 S0002 S0003; do
	hq station add "$st" "站 $st" >/dev/null || fail "station add $st"
	hq station token "$st" 2>/dev/null >"$T/$st.token" || fail "token $st"
	chmod 600 "$T/$st.token"
	port=$PORT
	[ "$st" = S0001 ] && port=$PROXY
	printf '[station]\nid = %s\n[auth]\npepper_file = %s/%s.pepper\n[upload]\nurl = http://127.0.0.1:%s\ntoken_file = %s\nconnect_timeout_s = 5\ntimeout_s = 10\nbackoff_base_ms = 1\nbackoff_cap_s = 1\n' \
		"$st" "$T" "$st" "$port" "$T/$st.token" >"$T/$st.conf"
	"$FC" --config "$T/$st.conf" --db "$T/$st.db" init >/dev/null || fail "init $st"
done
at() { # at STATION ISO-TIME forecourt-args...: a station command at that time
	local st=$1 now=$2; shift 2
	FORECOURT_NOW=$now "$FC" --config "$T/$st.conf" --db "$T/$st.db" "$@"
}
sync_all() { # sync_all ISO-TIME STATION...
	local now=$1 st; shift
	for st in "$@"; do
		at "$st" "$now" sync --once >>"$T/sync.log" 2>&1 ||
			fail "sync $st: $(tail -3 "$T/sync.log")"
	done
}
json() { "$PY" -c 'import json,sys; o=json.loads(sys.argv[1]); print(o.get(sys.argv[2]))' "$1" "$2"; }
lookup() { at "$1" "$2" lookup "$3" --json 2>/dev/null; }
field() { json "$(lookup "$1" "$2" "$3")" "$4"; }

sync_all 2026-07-20T02:00:00Z S0001 S0002 S0003
[ "$(field S0002 2026-07-20T02:00:00Z 00000C01 name)" = 稳定客户 ] || fail "B has no archive"

# --- stability -------------------------------------------------------------
for day in 2026-07-23 2026-07-28 2026-08-02 2026-08-07 2026-08-12 2026-08-17 2026-08-22 \
	2026-08-27 2026-09-01; do
	at S0001 "${day}T02:00:00Z" visit --card 00000C01 --grade 92# --litres 30 --pump 1 \
		>/dev/null || fail "visit at A on $day"
done
NOW=2026-09-01T03:00:00Z
sync_all $NOW S0001 S0002 S0003
for st in S0001 S0002 S0003; do
	at $st $NOW classify >/dev/null || fail "classify $st"
	[ "$(field $st $NOW 00000C01 stability)" = current ] ||
		fail "fuelling only at A for 40 days: $st says $(field $st $NOW 00000C01 stability)"
done
ok "fuelling only at A for 40 days: current at A, B and C"

NOW=2026-10-02T03:00:00Z # 31 days without fuelling anywhere
sync_all $NOW S0001 S0002 S0003
for st in S0001 S0002 S0003; do
	at $st $NOW classify >/dev/null || fail "classify $st"
	[ "$(field $st $NOW 00000C01 stability)" = lost ] ||
		fail "31 days without fuelling: $st says $(field $st $NOW 00000C01 stability)"
done
ok "31 days without fuelling anywhere: lost at A, B and C"

out=$(at S0003 $NOW visit --card 00000C01 --grade 92# --litres 20 --pump 2) || fail "visit at C"
grep -q "WON BACK" <<<"$out" || fail "fuelling again at C is not won back: $out"
sync_all $NOW S0003 S0001 S0002
for st in S0001 S0002 S0003; do
	at $st $NOW classify >/dev/null || fail "classify $st"
	[ "$(field $st $NOW 00000C01 stability)" = current ] ||
		fail "after fuelling at C: $st says $(field $st $NOW 00000C01 stability)"
done
ok "fuelling again at C: won back at C ($out), current at A and B"

# --- points ------------------------------------------------------------------
points() { field "$1" "$NOW" 00000C02 points; }
at S0001 $NOW visit --card 00000C02 --grade 92# --litres 500 --pump 1 >/dev/null || fail "500 L at A"
[ "$(points S0001)" = 500 ] || fail "A shows $(points S0001) after earning 500"
sync_all $NOW S0001 S0002
[ "$(points S0002)" = 500 ] && [ "$(points S0001)" = 500 ] ||
	fail "after sync: A $(points S0001), B $(points S0002), not 500 each"
sync_all $NOW S0001 S0002
[ "$(points S0002)" = 500 ] && [ "$(points S0001)" = 500 ] || fail "a second sync changed the balance"
ok "500 points earned at A: 500 at A and at B after both sync (and again)"

# A's next record reaches head office on a USB stick before A uploads it
at S0001 $NOW visit --card 00000C02 --grade 92# --litres 100 --pump 1 >/dev/null || fail "100 L at A"
mkdir -p "$T/usb" && at S0001 $NOW outbox export "$T/usb" >/dev/null || fail "outbox export"
f=$(ls "$T"/usb/*) && chmod 755 "$T/usb" && chmod 644 "$f"
hq records "$f" >"$T/records.log" || fail "forecourt-hq records: $(cat "$T/records.log")"
grep -q "station S0001: 1 applied, 0 already there, 0 refused" "$T/records.log" ||
	fail "records: $(cat "$T/records.log")"
sync_all $NOW S0002
[ "$(points S0002)" = 600 ] || fail "B after the USB stick: $(points S0002), not 600"
[ "$(points S0001)" = 600 ] || fail "A before its own upload: $(points S0001), not 600"
sync_all $NOW S0001
[ "$(points S0001)" = 600 ] || fail "A after its upload of a record head office had: $(points S0001)"
ok "a record exported to USB before A's upload: 600 at A and B, before and after A's upload"

# A's acknowledgement lost: head office applied the record, A never heard
at S0001 $NOW visit --card 00000C02 --grade 92# --litres 50 --pump 1 >/dev/null || fail "50 L at A"
: >"$T/drop"
at S0001 $NOW sync --once >>"$T/sync.log" 2>&1 && fail "the dropped reply did not fail A's sync"
[ ! -e "$T/drop" ] || fail "the proxy did not drop a reply"
[ "$(psql_q "SELECT points FROM customers WHERE code = 'S0000-I-TX-000002'")" = 650 ] ||
	fail "head office did not apply the record whose reply was lost"
[ "$(at S0001 $NOW outbox status --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" = 1 ] ||
	fail "A does not hold the record as pending"
[ "$(points S0001)" = 650 ] || fail "A with its acknowledgement lost: $(points S0001)"
sync_all $NOW S0002
[ "$(points S0002)" = 650 ] || fail "B after A's lost acknowledgement: $(points S0002)"
sync_all $NOW S0001
[ "$(points S0001)" = 650 ] || fail "A after sending the record again: $(points S0001)"
ok "acknowledgement lost: 650 at A (pending, then sent again) and at B, once"

at S0002 $NOW redeem --card 00000C02 --points 650 >/dev/null || fail "redeem 650 at B"
sync_all $NOW S0002 S0001 S0003
for st in S0001 S0002 S0003; do
	[ "$(points $st)" = 0 ] || fail "after redeeming at B: $st shows $(points $st)"
done
[ "$(psql_q "SELECT points FROM customers WHERE code = 'S0000-I-TX-000002'")" = 0 ] ||
	fail "head office's balance is not 0"
ok "650 redeemed at B: 0 at A, B, C and head office"

# --- tiers from the chain's litres ------------------------------------------
for i in 1 2 3 4 5 6; do # at most 2000 L in one fuelling
	at S0001 "2026-10-0${i}T04:00:00Z" visit --card 00000B03 --grade 0# --litres 2000 --pump 3 \
		>/dev/null || fail "2000 L at A"
	[ $i -le 5 ] || continue
	at S0002 "2026-10-0${i}T05:00:00Z" visit --card 00000B03 --grade 0# --litres 1800 --pump 3 \
		>/dev/null || fail "1800 L at B"
done
sync_all $NOW S0001 S0002
out=$(hq evaluate-tiers --period 2026H2) || fail "evaluate-tiers: $out"
grep -q "changed tier" <<<"$out" || fail "evaluate-tiers: $out"
sync_all $NOW S0001 S0002 S0003
for st in S0001 S0002 S0003; do
	[ "$(field $st $NOW 00000B03 tier)" = diamond ] ||
		fail "12 000 + 9 000 L: $st says tier $(field $st $NOW 00000B03 tier)"
done
ok "12 000 L at A + 9 000 L at B: diamond at A, B and C ($out)"

# --- the named owner ----------------------------------------------------------
printf '999999\n999999\n' | at S0001 $NOW staff add A1 管理员 admin >/dev/null || fail "admin at A"
printf '999999\n246810\n246810\n' | at S0001 $NOW staff add H1 王站长 head --as A1 >/dev/null ||
	fail "head at A"
at S0001 $NOW register --card 0000A0E1 --name 新注册客户 --nature individual --industry taxi \
	>"$T/register.out" 2>&1 || fail "register at A: $(cat "$T/register.out")"
code=$(json "$(lookup S0001 $NOW 0000A0E1)" customer_code)
sync_all $NOW S0001 S0002
owner=$(psql_q "SELECT owner_name FROM customers WHERE code = '$code'")
[ "$owner" = 王站长 ] || fail "head office named '$owner' for $code"
[ "$(field S0002 $NOW 0000A0E1 owner_name)" = 王站长 ] ||
	fail "B's card: $(lookup S0002 $NOW 0000A0E1)"
at S0002 $NOW callback due >"$T/due.B" 2>&1 || fail "callback due at B: $(cat "$T/due.B")"
grep -q "$code" "$T/due.B" && fail "B owes a callback for A's customer: $(cat "$T/due.B")"
[ "$(field S0002 $NOW 0000A0E1 callback_due)" = False ] || fail "B's swipe says callback due"
ok "owner named at A's head office ($owner) on B's card; B owes no callback for $code"
