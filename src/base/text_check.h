/* text_check.h — the checks every text a person or a file gives goes
 * through before it is stored or sent: strict UTF-8 (a GBK terminal or
 * file says so), no control characters, not only blanks.  The CLI, the
 * kiosk's forms (through the core) and the import files share them. */
#ifndef FC_TEXT_CHECK_H
#define FC_TEXT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

/* Strict UTF-8 (no overlong forms, surrogates or values above U+10FFFF):
 * the offset of the first bad byte of s[0..n), or -1 when it is valid. */
long text_check_utf8(const char *s, size_t n);

/* One text field of a record, named field in the message (a CLI option or
 * an archive column: "name", "notes").  NULL or "" passes (whether a field
 * is required is the caller's rule).  FC_ERR_INVALID "field 'F': ..." when
 * the text is not UTF-8 (with the byte), holds a control character (tab,
 * newline, escape, DEL, U+0080..U+009F) or only blanks (spaces, tabs,
 * the ideographic space U+3000). */
fc_status text_check_field(const char *field, const char *value, fc_error *err);

/* text_check_field over n {field, value} pairs: the first problem. */
fc_status text_check_fields(const char *const (*fields)[2], size_t n, fc_error *err);

/* How many bytes of s to keep to cut it at most max bytes long without
 * splitting a UTF-8 character (for "%.*s" into a message or audit row). */
int text_check_cut(const char *s, size_t max);

/* True when s is NULL, "" or only blanks (as text_check_field counts them). */
bool text_check_blank(const char *s);

#endif
