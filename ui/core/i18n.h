/* i18n.h — the kiosk's translations: picks a UTF-8 locale, finds the
 * forecourt catalogue and selects [ui] locale (zh_CN, en) for gettext. */
#ifndef FC_UI_I18N_H
#define FC_UI_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

/* Every message of the kiosk goes through these (also noted for the
 * FORECOURT_FIT_LOG test hook, base/fitlog.h).  xgettext keywords: _ N_
 * _n:1,2 P_:1c,2. */
#define _(s) i18n_gettext(s)
#define _n(one, many, n) i18n_ngettext(one, many, n)
#ifndef N_
#define N_(s) s /* marks a string for xgettext; translated where shown */
#endif
/* Context-qualified message ("big" + "Gold" = 金级, "individual" + "Gold" =
 * 黄金级); xgettext keyword P_:1c,2. */
#define P_(ctx, s) i18n_pgettext(ctx "\004" s, s)

/* Make gettext work for `language` ("zh_CN", "en") even when the machine has
 * no generated locale for it: LC_ALL from the environment, C.UTF-8 when that
 * is not UTF-8, LANGUAGE = language, catalogue from $FORECOURT_LOCALEDIR,
 * else <dir of the binary>/locale, else <dir of the binary>/../share/locale.
 * Returns false (with a reason in why) when no UTF-8 locale could be set:
 * the kiosk then refuses to start rather than draw garbage. */
bool i18n_init(const char *language, char *why, size_t why_len);

/* gettext / ngettext of the kiosk's messages. */
const char *i18n_gettext(const char *msgid) __attribute__((format_arg(1)));
const char *i18n_ngettext(const char *one, const char *many, unsigned long n)
	__attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* gettext of "ctx\004text"; plain text when the catalogue lacks it. */
const char *i18n_pgettext(const char *ctx_text, const char *text);

#endif
