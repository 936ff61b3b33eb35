/* fitlog.h — a test hook for the kiosk's "every message fits" check: with
 * FORECOURT_FIT_LOG=FILE each message looked up in the catalogue and each
 * text cut to fit the screen is appended to FILE (tests/tui/screen_fit.sh). */
#ifndef FC_FITLOG_H
#define FC_FITLOG_H

#include <stdbool.h>

/* True when FORECOURT_FIT_LOG names a file (read once, at the first call). */
bool fitlog_on(void);

/* "MSG msgid": the message msgid (a string literal: its address is kept to
 * write each one once) was looked up for the screen.  Newlines and tabs are
 * written as \n and \t.  Does nothing when the hook is off. */
void fitlog_msgid(const char *msgid);

/* "UNTR msgid": the catalogue had no translation of msgid (a string
 * literal, written once) when it was looked up.  Does nothing when off. */
void fitlog_untranslated(const char *msgid);

/* "CUT cols text": text did not fit the cols columns it was given and was
 * cut.  Does nothing when the hook is off.  Thread-safe, like fitlog_msgid. */
void fitlog_cut(const char *text, int cols);

#endif
