#!/usr/bin/env bash
# install.sh — `make install DESTDIR=... PREFIX=/usr` puts the binary, the
# man page forecourt(1), the example config and the unit under DESTDIR/usr;
# the installed pieces work and agree; `make uninstall` takes them away.
. "$(dirname "$0")/../lib.sh"
cd "$FORECOURT_SRC" || fail "no source tree"
X=$T/x
# -o all: install what the test run already built, never rebuild it here.
make --no-print-directory -s -o all install DESTDIR="$X" PREFIX=/usr BUILD="$FORECOURT_BUILD" \
	>"$T/install.log" 2>&1 || { cat "$T/install.log"; fail "make install failed"; }

bin=$X/usr/bin/forecourt
[ -x "$bin" ] || fail "no executable $bin"
"$bin" --version | grep -q '^forecourt [0-9]' || fail "installed binary does not run"
ok "binary $bin runs: $("$bin" --version)"

man=$X/usr/share/man/man1/forecourt.1
[ -f "$man" ] || fail "no man page $man"
page=$(MANWIDTH=100 man -l "$man" 2>/dev/null) || fail "man cannot format $man"
for section in NAME SYNOPSIS COMMANDS FILES ENVIRONMENT "EXIT STATUS"; do
	grep -q "^$section" <<<"$page" || fail "man page has no $section section"
done
grep -q FORECOURT_CONFIG <<<"$page" && grep -q FORECOURT_NOW <<<"$page" ||
	fail "man page does not describe the environment"
# Every command of `forecourt --help` is in the man page.
cmds=$("$bin" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
[ -n "$cmds" ] || fail "no commands in --help"
for c in $cmds; do
	grep -qE "(^| )$c( |$)" <<<"$page" || fail "command '$c' is missing from forecourt(1)"
done
ok "forecourt(1) formats and names all $(wc -w <<<"$cmds") commands"

conf=$X/usr/share/doc/forecourt/forecourt.conf.example
[ -f "$conf" ] || fail "no example config $conf"
"$bin" --config "$conf" --db "$T/check.db" init >"$T/init.log" 2>&1 ||
	{ cat "$T/init.log"; fail "the installed example config is refused"; }
ok "example config $conf is accepted"

[ -f "$X/usr/share/forecourt/holidays.conf" ] || fail "no holidays.conf"
# Without holidays_file in the config, the installed binary finds the
# installed holidays next to its bin/ directory.
printf '[station]\nid = S0001\n' >"$T/bare.conf"
"$bin" --config "$T/bare.conf" --db "$T/check.db" holidays load >"$T/hol.log" 2>&1 ||
	{ cat "$T/hol.log"; fail "the installed holidays are not found by default"; }
[ "$(q "$T/check.db" "SELECT count(*) FROM holidays")" -gt 0 ] || fail "no holidays loaded"
ok "default holidays_file is the installed $(q "$T/check.db" "SELECT count(*) FROM holidays")-day file"
unit=$X/usr/share/forecourt/forecourt@.service
[ -f "$unit" ] || fail "no unit $unit"
grep -qx 'ExecStart=/usr/bin/forecourt kiosk' "$unit" || fail "unit does not start /usr/bin/forecourt"
! grep -q '@BINDIR@' "$unit" || fail "unit still has @BINDIR@"
for line in 'StandardInput=tty' 'TTYPath=/dev/%I' 'Restart=always' 'RestartSec=1'; do
	grep -qx "$line" "$unit" || fail "unit lacks $line"
done
ok "unit $unit runs the kiosk on /dev/%I and restarts it"

make --no-print-directory -s uninstall DESTDIR="$X" PREFIX=/usr BUILD="$FORECOURT_BUILD" \
	>"$T/uninstall.log" 2>&1 || { cat "$T/uninstall.log"; fail "make uninstall failed"; }
for f in "$bin" "$man" "$conf" "$unit"; do
	[ ! -e "$f" ] || fail "uninstall left $f"
done
ok "uninstall removed them"
