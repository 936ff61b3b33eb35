/* tr.c — core messages through the catalogue (see tr.h), and the
 * context-qualified words (field names, units) shown inside them. */
#include "base/tr.h"

#include <stdio.h>

#include "base/fitlog.h"

const char *tr_text(const char *msgid)
{
	fitlog_msgid(msgid);
	const char *t = dgettext(FC_TR_DOMAIN, msgid);
	if (t == msgid && msgid[0]) /* the catalogue lacks it */
		fitlog_untranslated(msgid);
	return t;
}

const char *tr_word(const char *ctx, const char *word)
{
	char key[96];
	int n = snprintf(key, sizeof key, "%s\004%s", ctx, word);
	if (n < 0 || (size_t)n >= sizeof key)
		return word;
	const char *t = dgettext(FC_TR_DOMAIN, key);
	return t == key ? word : t;
}
