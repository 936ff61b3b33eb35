#!/usr/bin/env bash
# hq_seq_race.sh — two batches of one station at once (a timed-out request
# still running at head office, a `forecourt-hq load` beside live uploads):
# the second waits for the station's row lock, and must then see the seqs
# the first left waiting.  Batch X (seq 4, a staff change: it needs the
# master lock) holds the station lock while it waits for the master lock,
# held here by a psql session; batch Y (seqs 2 and 3, anonymous visits)
# queues behind it on the station's row.  Once the master lock is let go,
# X commits (station_seq 1, seq 4 waiting) and Y closes the gap: station_seq
# must be 4 with nothing waiting.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hq_lib.sh"

pg_start
PORT=$(free_port)
hq_conf "$PORT" "[http]" "threads = 4"
hq init >/dev/null || fail "forecourt-hq init"
hq station add S0001 "一号站" >/dev/null || fail "station add"
TOKEN=$(hq station token S0001 2>/dev/null) || fail "station token"
hq_serve
U=http://127.0.0.1:$PORT
post() { # OUT: the body from stdin; HTTP code and body into OUT
	curl -s -o "$1" -w '%{http_code}' --max-time 60 -H "Authorization: Bearer $TOKEN" \
		-H "X-Station-Id: S0001" -H 'Content-Type: application/x-ndjson' \
		--data-binary @- "$U/v1/records" >"$1.code"
}
vis() { # SEQ
	printf '{"id":"01a24ce0-0000-7000-8000-00000000020%d","type":"visit","station":"S0001","seq":%d,"created_at":"2026-12-06T10:0%d:00.000Z","data":{"pump":1,"grade":"92#","volume_ml":10000,"amount_fen":7600,"price_fen_per_litre":760,"discount_fen":0,"points_earned":0,"anonymous":true}}\n' "$1" "$1" "$1"
}
staff() { # SEQ
	printf '{"id":"01a24ce0-0000-7000-8000-00000000020%d","type":"staff_changed","station":"S0001","seq":%d,"created_at":"2026-12-06T10:0%d:00.000Z","data":{"staff":7,"name":"Wang","role":"attendant","active":true}}\n' "$1" "$1" "$1"
}
seqs() { psql_q "SELECT station_seq || '|' || coalesce((SELECT string_agg(seq::text, ',' ORDER BY seq) FROM seen_seqs), '') FROM stations WHERE id = 'S0001'"; }

vis 1 | post "$T/r1"
[ "$(cat "$T/r1.code")" = 200 ] && [ "$(seqs)" = "1|" ] ||
	fail "seq 1: HTTP $(cat "$T/r1.code") $(cat "$T/r1"), seqs $(seqs)"

# the master lock held by another session
as_user env PGAPPNAME=holder psql -h "$PG_SOCK" -U "$HQ_USER" -d forecourt -XAtq \
	-c "SELECT pg_advisory_lock(4242001)" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
HOLDER=$!
waiting() { [ "$(psql_q "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name <> 'holder'")" -ge "$1" ]; }
held() { [ "$(psql_q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" -ge 1 ]; }
wait_for 20 held ||
	fail "the holder did not take the master lock"

staff 4 | post "$T/rx" &
PX=$!
wait_for 20 waiting 1 || fail "batch X does not wait for the master lock"
{ vis 2; vis 3; } | post "$T/ry" &
PY=$!
wait_for 20 waiting 2 || fail "batch Y does not wait for the station's row"
psql_q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'holder'" >/dev/null
wait "$PX" "$PY"
wait "$HOLDER" 2>/dev/null
[ "$(cat "$T/rx.code")" = 200 ] || fail "batch X: HTTP $(cat "$T/rx.code") $(cat "$T/rx")"
[ "$(cat "$T/ry.code")" = 200 ] || fail "batch Y: HTTP $(cat "$T/ry.code") $(cat "$T/ry")"
[ "$(psql_q "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM records")" = "1,2,3,4" ] ||
	fail "records: $(psql_q 'SELECT seq, type FROM records ORDER BY seq')"
[ "$(seqs)" = "4|" ] ||
	fail "after X (seq 4) and Y (2, 3) at once: station_seq|waiting $(seqs), want 4| (Y's reply: $(cat "$T/ry"))"
ok "a batch that waited for the station's row sees the seqs the one before left waiting (station_seq 4)"
hq_stop
ok "forecourt-hq stopped on SIGTERM, no sanitizer report in its log"
