#!/usr/bin/env bash
# hq_crash.sh — forecourt-hq killed -9 KILLS times (default 20) while three
# real stations (`forecourt sync --daemon`) deliver thousands of real visit
# records, each kill at a random moment once head office has stored more
# than before; then PostgreSQL restarted twice under the same load (fast,
# then immediate: a crash and recovery).  The stations retry and catch up:
# at the end head office holds every record of every station exactly once
# (ids, seqs and data equal to the station's outbox), one visit and one
# ledger row per record, sums equal, station_seq at the station's last seq,
# nothing refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"

KILLS=${KILLS:-20}
PER_STATION=${PER_STATION:-2000} # records per station before the kills
MORE=${MORE:-600}                # and during the PostgreSQL restarts
CUSTOMERS=100
STATIONS="1 2 3"

pg_start
PORT=$(free_port)
hq_conf "$PORT" "[http]" "threads = 4"
hq init >/dev/null || fail "forecourt-hq init"
# outbox_fill --real-visits's customers C00001.. and cards CA000001.., at head office too.
psql_q "INSERT INTO customers(code, name, nature, version)
	SELECT 'C' || lpad(i::text, 5, '0'), 'Customer ' || i, 'individual', nextval('master_version_seq')
	FROM generate_series(1, $CUSTOMERS) i;
	INSERT INTO cards(card_id, customer_code, card_kind, version)
	SELECT upper(to_hex(3388997632 + i)), 'C' || lpad(i::text, 5, '0'), 'personal',
	       nextval('master_version_seq') FROM generate_series(1, $CUSTOMERS) i;" ||
	fail "head office's customers"

sid() { echo "S000$1"; }
sq() { q "$T/s$1/fc.db" "$2"; }
fill() {
	"$FORECOURT_BUILD/tests/tools/outbox_fill" "$T/s$1/fc.db" "$2" --customers "$CUSTOMERS" \
		--station "$(sid "$1")" --per-tx 100 --real-visits >/dev/null || fail "outbox_fill station $1"
}
for n in $STATIONS; do
	mkdir -p "$T/s$n"
	hq station add "$(sid "$n")" "$n号站" >/dev/null || fail "station add"
	hq station token "$(sid "$n")" >"$T/s$n/token" 2>/dev/null || fail "station token"
	chmod 600 "$T/s$n/token"
	{
		printf '[station]\nid = %s\n[upload]\nurl = http://127.0.0.1:%s\n' "$(sid "$n")" "$PORT"
		printf 'token_file = %s\nbatch_max = 5\nconnect_timeout_s = 2\ntimeout_s = 20\n' "$T/s$n/token"
		printf 'backoff_base_ms = 1\nbackoff_cap_s = 1\n'
	} >"$T/s$n/fc.conf"
	"$FC" --config "$T/s$n/fc.conf" --db "$T/s$n/fc.db" init >/dev/null || fail "init $n"
	fill "$n" "$PER_STATION"
done
total=$((3 * PER_STATION))

hq_serve
SYNC_PIDS=()
for n in $STATIONS; do
	"$FC" --config "$T/s$n/fc.conf" --db "$T/s$n/fc.db" sync --daemon 2>>"$T/s$n/sync.log" &
	SYNC_PIDS+=($!)
	BG_PIDS+=($!)
done

stored() { psql_q "SELECT count(*) FROM records"; }
stored_above() { local c; c=$(stored) && [ -n "$c" ] && [ "$c" -gt "$1" ]; }
pending_all() {
	local n sum=0
	for n in $STATIONS; do sum=$((sum + $(sq "$n" "SELECT count(*) FROM outbox WHERE state <> 'sent'"))); done
	echo "$sum"
}
start=$(date +%s%3N)
for i in $(seq "$KILLS"); do
	before=$(stored)
	# Ingest resumed on this process: head office stored more.
	wait_for 60 stored_above "$before" ||
		fail "kill $i: ingest did not resume ($(stored) stored); $(tail -3 "$T/hq.log")"
	# The random moment: 0..30 ms later, batches in flight.
	sleep "0.0$((RANDOM % 3))$((RANDOM % 10))"
	hq_kill
	left=$(pending_all)
	echo "kill $i: $(stored) stored, $left pending"
	[ "$left" -gt 0 ] || fail "the backlog ran out after $i kills: make more records"
	hq_serve
done
# Some kills hit a request in flight (the station saw its connection die).
inflight=$(cat "$T"/s?/sync.log | grep -cE 'Connection reset|Connection died|Empty reply|Recv failure')
[ "$inflight" -gt 0 ] || fail "no kill hit a request in flight: $(sort "$T"/s?/sync.log | uniq -c | head)"
ok "$KILLS kill -9 of forecourt-hq during ingest in $(( $(date +%s%3N) - start )) ms, $inflight requests cut; $(stored) of $total stored"

drained() { [ "$(pending_all)" = 0 ] && [ "$(stored)" = "$total" ]; }
wait_for 120 drained || fail "not drained after the kills: $(pending_all) pending, $(stored) of $total stored"
ok "drained after the kills: $total stored"

# PostgreSQL restarted under load: fast, then immediate (crash recovery).
for n in $STATIONS; do fill "$n" "$MORE"; done
total=$((total + 3 * MORE))
for mode in fast immediate; do
	before=$(stored)
	wait_for 60 stored_above "$before" || fail "ingest did not go on before the $mode restart"
	pg_run_ctl restart "$mode"
	[ "$(pending_all)" -gt 0 ] || fail "the backlog ran out before the $mode restart: make more records"
done
wait_for 120 drained || fail "not drained after the PostgreSQL restarts: $(pending_all) pending, $(stored) of $total stored"
curl -sf "http://127.0.0.1:$PORT/v1/health" >/dev/null || fail "health after the PostgreSQL restarts"
ok "PostgreSQL restarted (fast, immediate) under load: the stations retried and caught up, $total stored"

for p in "${SYNC_PIDS[@]}"; do kill -TERM "$p"; done
for p in "${SYNC_PIDS[@]}"; do wait "$p" || fail "forecourt sync --daemon exit $? on SIGTERM"; done

for n in $STATIONS; do
	s=$(sid "$n")
	hq_records_match "$T/s$n/fc.db" "$s"
	want=$(sq "$n" "SELECT count(*) || ' ' || sum(volume_ml) || ' ' || sum(amount_fen) || ' ' ||
		sum(points_earned) FROM visits")
	got=$(psql_q "SELECT count(*) || ' ' || sum(volume_ml) || ' ' || sum(amount_fen) || ' ' ||
		sum(points_earned) FROM visits WHERE station = '$s'")
	[ "$got" = "$want" ] || fail "station $n: visits (count, ml, fen, points) $got at head office, $want at the station"
	want=$(sq "$n" "SELECT count(*) || ' ' || sum(delta) FROM points_ledger")
	got=$(psql_q "SELECT count(*) || ' ' || sum(delta) FROM points_ledger WHERE station = '$s'")
	[ "$got" = "$want" ] || fail "station $n: ledger rows/sum $got at head office, $want at the station"
	want=$(sq "$n" "SELECT max(seq) || '|' || max(seq) || '|' || count(*) FROM outbox")
	got=$(psql_q "SELECT station_seq || '|' || max_seq || '|' || records FROM stations WHERE id = '$s'")
	[ "$got" = "$want" ] || fail "station $n: station_seq|max_seq|records $got, want $want"
done
[ "$(psql_q "SELECT count(*) || ' ' || count(DISTINCT id) FROM records")" = "$total $total" ] ||
	fail "records at head office: $(psql_q "SELECT count(*) || ' ' || count(DISTINCT id) FROM records"), want $total"
[ "$(psql_q "SELECT count(*) FROM rejected")" = 0 ] || fail "head office refused: $(psql_q 'SELECT * FROM rejected LIMIT 5')"
[ "$(psql_q "SELECT count(*) FROM seen_seqs")" = 0 ] || fail "seqs still waiting for a gap to close"
ok "each of $total records once at head office, same id, seq and data; visits and ledger equal; nothing refused"
hq_stop
ok "forecourt-hq stopped on SIGTERM, no sanitizer report in its log"
