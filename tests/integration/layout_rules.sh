#!/usr/bin/env bash
# layout_rules.sh — tests/check-layout, the house rules `make check` runs
# first: the real tree passes; a copy of it with one wrong include (or one
# misnamed export) at a time fails, naming the file, the line and the rule.
. "$(dirname "$0")/../lib.sh"

SRC=${FORECOURT_SRC:?}
CHECK="$SRC/tests/check-layout"

"$CHECK" --root "$SRC" >"$T/out" 2>&1 || { cat "$T/out"; fail "the tree itself breaks a rule"; }
ok "the tree keeps every include rule"

fresh_copy() {
	rm -rf "$T/tree" && mkdir "$T/tree"
	cp -r "$SRC/src" "$SRC/ui" "$SRC/drivers" "$SRC/seeds" "$T/tree/"
}

# expect_rule FILE RULE TEXT: add TEXT as the first include of FILE in a
# fresh copy; the check must fail with FILE:LINE: rule RULE.
expect_rule() {
	local file=$1 rule=$2 text=$3
	fresh_copy
	local line
	line=$(grep -n '^#include' "$T/tree/$file" | head -1 | cut -d: -f1)
	sed -i "${line}i $text" "$T/tree/$file"
	if "$CHECK" --root "$T/tree" >"$T/out" 2>&1; then
		fail "$text in $file passed the check"
	fi
	grep -qF "$file:$line: rule $rule:" "$T/out" || { cat "$T/out"; fail "$file:$line: rule $rule not named"; }
	ok "$text in $file: $(grep -F "$file:$line:" "$T/out" | head -1)"
}

expect_rule src/store/db.c no-curses-in-src '#include <curses.h>'
expect_rule src/pump/lookup.c no-curses-in-src '#include <ncursesw/curses.h>'
expect_rule src/store/db.c layer-order '#include "pump/visit.h"'
expect_rule src/base/clock.c layer-order '#include "store/db.h"'
expect_rule src/care/callback.c layer-order '#include "cli/commands.h"'
expect_rule src/report/report.c layer-order '#include "ui/core/screen.h"'
expect_rule ui/core/loop.c layer-order '#include "ui/screens/care.h"'
expect_rule ui/screens/screen_swipe.c layer-order '#include "ui/kiosk.h"'
expect_rule drivers/reader.c no-sqlite-in-drivers '#include <sqlite3.h>'
expect_rule drivers/reader.c drivers-alone '#include "base/status.h"'
expect_rule src/cli/cmd_reader_test.c reader-interface '#include "drivers/decoder.h"'
expect_rule src/store/db.c path-qualified '#include "status.h"'
expect_rule src/store/db.c path-qualified '#include "src/base/status.h"'
expect_rule src/store/db.c unknown-include '#include "store/nothing.h"'
# pump includes care already; care including pump closes a cycle
expect_rule src/care/callback.c no-cycles '#include "pump/lookup.h"'

# name-prefix: an object exporting a name that is not its file's
fresh_copy
mkdir -p "$T/obj/src/store"
printf 'int stray_helper(void);\nint stray_helper(void) { return 1; }\n' >"$T/tree/src/store/outbox_extra.c"
cc -c -o "$T/obj/src/store/outbox_extra.o" "$T/tree/src/store/outbox_extra.c" || fail "cc"
"$CHECK" --root "$T/tree" --names "$T/obj" >"$T/out" 2>&1 && fail "a misnamed export passed"
grep -qF "src/store/outbox_extra.c:1: rule name-prefix: stray_helper" "$T/out" ||
	{ cat "$T/out"; fail "name-prefix not named"; }
printf 'int outbox_extra_count(void);\nint outbox_extra_count(void) { return 1; }\n' \
	>"$T/tree/src/store/outbox_extra.c"
cc -c -o "$T/obj/src/store/outbox_extra.o" "$T/tree/src/store/outbox_extra.c" || fail "cc"
"$CHECK" --root "$T/tree" --names "$T/obj" >"$T/out" 2>&1 || { cat "$T/out"; fail "a well-named export refused"; }
ok "name-prefix: stray_helper in store/outbox_extra.c refused, outbox_extra_count accepted"
