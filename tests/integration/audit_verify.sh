#!/usr/bin/env bash
# audit_verify.sh — `forecourt audit verify` passes on a fresh log and names
# the row an attacker edited with the sqlite3 shell (after dropping the
# append-only trigger, as an attacker would).
. "$(dirname "$0")/../lib.sh"

printf '[station]\nid = S0042\n[auth]\npepper_file = %s/pepper\n' "$T" >"$T/fc.conf"
fc() { "$FC" --config "$T/fc.conf" --db "$T/fc.db" "$@"; }

fc init >/dev/null || fail "init"
printf '999999\n999999\n' | fc staff add A1 Li admin >/dev/null || fail "first admin"
printf '999999\n246824\n246824\n' | fc staff add H1 Wang head --as A1 >/dev/null || fail "add head"
printf '0000\n' | fc staff login H1 >/dev/null 2>&1 && fail "a wrong PIN logged in"
printf '246824\n' | fc staff login H1 >/dev/null || fail "right PIN refused"
rows=$(q "$T/fc.db" "SELECT count(*) FROM audit")
[ "$rows" = 5 ] || fail "expected 5 audit rows (add, login, add, failure, login), got $rows"

out=$(fc audit verify) || fail "fresh log does not verify: $out"
grep -qF "audit log intact: $rows rows" <<<"$out" || fail "unexpected: $out"
ok "fresh log of $rows rows verifies"

# The trigger stops a plain UPDATE ...
sqlite3 "$T/fc.db" "UPDATE audit SET detail = 'x' WHERE id = 3" 2>/dev/null &&
	fail "the audit table accepted an UPDATE"
# ... so the attacker drops it first and rewrites row 3.
sqlite3 "$T/fc.db" "DROP TRIGGER audit_no_update;
	UPDATE audit SET detail = 'nothing happened' WHERE id = 3;" || fail "sqlite3 edit"
out=$(fc audit verify) && fail "altered log verified: $out"
grep -qF "audit log ALTERED: row 3: its content does not match its hash" <<<"$out" ||
	fail "row 3 not named: $out"
ok "edited row 3 is named"

# Recomputing row 3's own hash does not help: row 4 no longer chains to it.
python3 - "$T/fc.db" <<'PY' || fail "recomputing row 3"
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
prev, at, staff, action, detail = db.execute(
    "SELECT prev_hash, created_at, coalesce(staff_id, 0), action, detail FROM audit WHERE id = 3").fetchone()
h = hashlib.sha256()
for part in (prev, at, str(staff), action, detail):
    h.update(part.encode() + b"\x1f")
db.execute("UPDATE audit SET hash = ? WHERE id = 3", (h.hexdigest(),))
db.commit()
PY
out=$(fc audit verify) && fail "altered log verified: $out"
grep -qF "audit log ALTERED: row 4: its prev_hash does not match the row before it" <<<"$out" ||
	fail "row 4 not named after row 3 was re-hashed: $out"
ok "re-hashed row 3 breaks the link to row 4"

# A deleted row is named too.
cp "$T/fc.db" "$T/del.db"
sqlite3 "$T/del.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2;"
out=$("$FC" --config "$T/fc.conf" --db "$T/del.db" audit verify) && fail "gap verified"
grep -qF "row 3: rows 2..2 are missing" <<<"$out" || fail "gap not named: $out"
ok "deleted row 2 is named"

# No PIN, pepper or PIN hash anywhere in the audit log or the upload queue.
pepper_hex=$(od -An -tx1 "$T/pepper" | tr -d ' \n')
n=$(q "$T/fc.db" "SELECT count(*) FROM outbox, staff WHERE instr(payload, pin_hash)
	OR instr(payload, '\$argon2') OR instr(payload, '246824') OR instr(payload, '999999')
	OR instr(lower(payload), '$pepper_hex')")
[ "$n" = 0 ] || fail "$n outbox rows carry a PIN, hash or pepper"
n=$(q "$T/fc.db" "SELECT count(*) FROM audit WHERE instr(detail, '\$argon2')
	OR instr(detail, '246824') OR instr(detail, '999999')")
[ "$n" = 0 ] || fail "$n audit rows carry a PIN or hash"
[ "$(q "$T/fc.db" "SELECT count(*) FROM outbox WHERE type = 'audit'")" -ge "$rows" ] ||
	fail "audit events not queued for upload"
ok "no PIN, hash or pepper in audit or outbox"
