/* i18n.c — locale and catalogue selection for the kiosk (see i18n.h).
 * Works on a machine where only C.UTF-8 exists: gettext reads LANGUAGE. */
#include "ui/core/i18n.h"

#include <langinfo.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fitlog.h"

#define I18N_DOMAIN "forecourt"

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static bool dir_has_catalogue(const char *dir, const char *language)
{
	char path[PATH_MAX];
	struct stat st;
	int w = snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/%s.mo", dir, language, I18N_DOMAIN);
	return w > 0 && (size_t)w < sizeof path && stat(path, &st) == 0;
}

/* The catalogue directory into buf (see i18n.h for the order). */
static void i18n_find_dir(const char *language, char *buf, size_t n)
{
	const char *env = getenv("FORECOURT_LOCALEDIR");
	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return;
	}
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		const char *dir = dirname(exe);
		snprintf(buf, n, "%s/locale", dir);
		if (dir_has_catalogue(buf, language))
			return;
		snprintf(buf, n, "%s/../share/locale", dir);
		if (dir_has_catalogue(buf, language))
			return;
	}
	snprintf(buf, n, "/usr/share/locale");
}

bool i18n_init(const char *language, char *why, size_t why_len)
{
	if (!setlocale(LC_ALL, "") || !locale_is_utf8()) {
		if (!setlocale(LC_ALL, "C.UTF-8") || !locale_is_utf8()) {
			snprintf(why, why_len, "no UTF-8 locale (tried the environment and C.UTF-8)");
			return false;
		}
	}
	if (!language || !*language)
		language = "zh_CN";
	setenv("LANGUAGE", language, 1);
	char dir[PATH_MAX];
	i18n_find_dir(language, dir, sizeof dir);
	bindtextdomain(I18N_DOMAIN, dir);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
	return true;
}

const char *i18n_gettext(const char *msgid)
{
	fitlog_msgid(msgid);
	const char *t = gettext(msgid);
	if (t == msgid && msgid[0]) /* the catalogue lacks it */
		fitlog_untranslated(msgid);
	return t;
}

const char *i18n_ngettext(const char *one, const char *many, unsigned long n)
{
	fitlog_msgid(one);
	const char *t = ngettext(one, many, n);
	if (t == one || t == many)
		fitlog_untranslated(one);
	return t;
}

const char *i18n_pgettext(const char *ctx_text, const char *text)
{
	fitlog_msgid(ctx_text);
	const char *t = gettext(ctx_text);
	if (t == ctx_text)
		fitlog_untranslated(ctx_text);
	return t == ctx_text ? text : t;
}
