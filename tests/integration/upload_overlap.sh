#!/usr/bin/env bash
# upload_overlap.sh — the uploader reads the batch after the one in flight
# and records the previous reply while a request is out, but keeps the
# protocol: with head office failing the Nth request (no answer; stored but
# the reply unreadable; half the batch taken), records arrive in seq order, each
# once in effect, one request at a time; the station marks sent only what
# head office acknowledged; the batch read ahead is neither sent nor
# written to when the batch before it failed.
. "$(dirname "$0")/upload_lib.sh"

rx_start
write_conf "$RX_PORT" "batch_max = 100"
fill 1000 --customers 50

# station records marked sent that head office does not hold
sent_not_held() {
	q "$DB" "ATTACH '$T/hq.db' AS hq; SELECT count(*) FROM outbox o
		WHERE o.state = 'sent' AND NOT EXISTS (SELECT 1 FROM hq.received r WHERE r.id = o.id)"
}
# records (by position in seq order, 1-based) FROM..TO with attempts A, pending
attempts_are() {
	local n
	n=$(q "$DB" "SELECT count(*) FROM (SELECT state, attempts, row_number() OVER (ORDER BY seq) AS n
		FROM outbox) WHERE n BETWEEN $1 AND $2 AND attempts = $3 AND state = 'pending'")
	[ "$n" = $(($2 - $1 + 1)) ]
}
seq_at() { q "$DB" "SELECT seq FROM outbox ORDER BY seq LIMIT 1 OFFSET $(($1 - 1))"; }
sent() { q "$DB" "SELECT count(*) FROM outbox WHERE state = 'sent'"; }
stats_clean() {
	for k in dup_mismatch order_violations key_mismatch header_errors; do
		v=$(rx_stat "$k")
		[ "$v" = 0 ] || fail "$k = $v ($1)"
	done
}

# 1. The 4th request answered 503 (nothing stored): three batches recorded,
#    the 4th noted as failed, the 5th (read ahead) untouched and not sent.
rx_ctl "mode=down&count=1&after=3"
fc sync --once 2>"$T/a.err" && fail "sync --once succeeded through a 503"
[ "$(rx_stat requests)" = 4 ] || fail "requests $(rx_stat requests), want 4"
[ "$(sent)" = 300 ] || fail "$(sent) sent, want 300"
[ "$(rx_stat distinct)" = 300 ] || fail "head office holds $(rx_stat distinct), want 300"
[ "$(sent_not_held)" = 0 ] || fail "$(sent_not_held) marked sent that head office does not hold"
attempts_are 301 400 1 || fail "the failed batch's records: attempts not noted"
attempts_are 401 1000 0 || fail "records after the failed batch were written to"
[ "$(q "$DB" "SELECT count(*) FROM outbox WHERE seq >= $(seq_at 401) AND last_error IS NOT NULL")" = 0 ] ||
	fail "records after the failed batch have an error noted"
remembered=$(q "$DB" "SELECT value FROM meta WHERE key = 'upload_batch'")
case $remembered in
*" $(seq_at 301) $(seq_at 400) 100") ;;
*) fail "remembered batch '$remembered', want records 301..400" ;;
esac
stats_clean "503"
ok "the 4th request refused: 300 sent = 300 at head office, the failed batch remembered, the one read ahead untouched"

# 2. The 3rd request from here stored but its reply unreadable (HTML): the batch before
#    it recorded, that one pending and sent again with the same key.
rx_ctl "mode=garbage&count=1&after=2"
fc sync --once 2>"$T/b.err" && fail "sync --once succeeded through an unreadable reply"
[ "$(rx_stat requests)" = 7 ] || fail "requests $(rx_stat requests), want 7"
[ "$(sent)" = 500 ] || fail "$(sent) sent, want 500"
[ "$(rx_stat distinct)" = 600 ] || fail "head office holds $(rx_stat distinct), want 600"
[ "$(sent_not_held)" = 0 ] || fail "$(sent_not_held) marked sent that head office does not hold"
attempts_are 501 600 1 || fail "the unreadable batch's records: attempts not noted"
attempts_are 601 1000 0 || fail "records after the unreadable batch were written to"
stats_clean "unreadable reply"
ok "a reply unreadable: 500 sent, 600 at head office, the batch read ahead untouched"

# 3. Then half a batch taken (the 2nd request from here): no read-ahead
#    batch goes, the rest of the half-taken batch goes first.
rx_ctl "mode=partial&count=1&after=1"
fc sync --once 2>"$T/c.err" || fail "sync --once: $(cat "$T/c.err")"
# 501-600 again, 601-700 half taken, 651-750, 751-850, 851-950, 951-1000
[ "$(rx_stat requests)" = 13 ] || fail "requests $(rx_stat requests), want 13"
pending_is 0 || fail "$(pending) still pending"
[ "$(rx_stat distinct)" = 1000 ] || fail "head office holds $(rx_stat distinct), want 1000"
[ "$(rx_stat duplicates)" = 100 ] || fail "duplicates $(rx_stat duplicates), want 100 (the unreadable batch)"
[ "$(rx_stat keys_reused)" = 1 ] || fail "keys_reused $(rx_stat keys_reused), want 1 (the unreadable batch, same key)"
stats_clean "half taken"
check_all_arrived
check_points_equal
ok "all 1000 at head office once, in seq order, 13 requests, the unreadable batch resent under its key"
