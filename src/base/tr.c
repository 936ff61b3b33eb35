/* tr.c — context-qualified words of core messages (see tr.h): field names
 * and units shown inside translated messages. */
#include "base/tr.h"

#include <stdio.h>

const char *tr_word(const char *ctx, const char *word)
{
	char key[96];
	int n = snprintf(key, sizeof key, "%s\004%s", ctx, word);
	if (n < 0 || (size_t)n >= sizeof key)
		return word;
	const char *t = dgettext(FC_TR_DOMAIN, key);
	return t == key ? word : t;
}
