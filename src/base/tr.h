/* tr.h — translation of core messages that can reach a kiosk screen: looked
 * up in the "forecourt" gettext domain when built (the CLI never sets a locale: English). */
#ifndef FC_TR_H
#define FC_TR_H

#include <libintl.h>

#define FC_TR_DOMAIN "forecourt"

/* A printf format or text for the user, keeping format_arg checking.
 * xgettext keyword: FC_TR. */
#define FC_TR(s) tr_text(s)

/* A message translated where it is shown (a table's text): marks it for
 * xgettext (keyword TR_NOOP) and gives it unchanged. */
#define TR_NOOP(s) s

/* dgettext of msgid in the forecourt domain (noted for the FORECOURT_FIT_LOG
 * test hook, base/fitlog.h). */
const char *tr_text(const char *msgid) __attribute__((format_arg(1)));

/* The translation of msgid "ctx\004word" (e.g. "field", "yearly_litres" ->
 * 年需求量), else word itself: for names known only at run time. */
const char *tr_word(const char *ctx, const char *word);

#endif
