/* test_hq_client.c — the link's setup rules (src/sync/hq_client.c):
 * http:// only to a loopback address, decided by address and not by a name
 * that looks like one; a token file longer than the limit refused naming
 * the file, never cut; a libcurl that refuses [upload] pinned_key or ca_file
 * (a TLS backend without pinning) stops the client with a clear message.
 * The last is shown with this binary's own curl_easy_setopt, which refuses
 * one chosen option as such a libcurl does (CURLE_NOT_BUILT_IN) and hands
 * every other call to the real one. */
#include "testutil.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include "sync/hq_client.h"

#undef curl_easy_setopt /* the type-checking macro: the function is replaced below */

static CURLoption refused_option = (CURLoption)-1; /* what "this libcurl" cannot do */

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	typedef CURLcode (*setopt_fn)(CURL *, CURLoption, ...);
	setopt_fn real = (setopt_fn)dlsym(RTLD_NEXT, "curl_easy_setopt");
	if (option == refused_option)
		return CURLE_NOT_BUILT_IN;
	va_list ap;
	va_start(ap, option);
	CURLcode rc;
	if (option < CURLOPTTYPE_OBJECTPOINT) {
		long v = va_arg(ap, long);
		rc = real(curl, option, v);
	} else if (option < CURLOPTTYPE_OFF_T && option >= CURLOPTTYPE_FUNCTIONPOINT) {
		void (*fn)(void) = va_arg(ap, void (*)(void));
		rc = real(curl, option, fn);
	} else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB) {
		curl_off_t v = va_arg(ap, curl_off_t);
		rc = real(curl, option, v);
	} else {
		void *p = va_arg(ap, void *);
		rc = real(curl, option, p);
	}
	va_end(ap);
	return rc;
}

/* A config string set from a path (which must fit). */
static void config_set(char *dst, size_t n, const char *src)
{
	assert_true(strlen(src) < n);
	memcpy(dst, src, strlen(src) + 1);
}

static void loopback_is_an_address(void **state)
{
	(void)state;
	fc_error err;
	const char *loopback[] = {
		"http://127.0.0.1:8080/",   "http://127.3.4.5/",	 "http://127.255.255.254:1",
		"http://[::1]:8080/v1",	    "http://[::ffff:127.0.0.1]:80/",
	};
	for (size_t i = 0; i < sizeof loopback / sizeof loopback[0]; i++) {
		fc_error_clear(&err);
		assert_int_equal(hq_client_check_url(loopback[i], false, &err), FC_OK);
	}
	/* names, however they look, and other addresses */
	const char *not_loopback[] = {
		"http://127.evil.example/",	 "http://127.0.0.1.evil.example:8080/",
		"http://localhost:8080/",	 "http://127-0-0-1.example/",
		"http://128.0.0.1/",		 "http://[::2]/",
		"http://[::ffff:10.0.0.1]/",	 "http://126.255.255.255/",
	};
	for (size_t i = 0; i < sizeof not_loopback / sizeof not_loopback[0]; i++) {
		fc_error_clear(&err);
		assert_int_equal(hq_client_check_url(not_loopback[i], false, &err), FC_ERR_CONFIG);
		assert_non_null(strstr(err.msg, "plain http:// is allowed only to this machine"));
		assert_int_equal(hq_client_check_url(not_loopback[i], true, &err), FC_OK);
	}
	assert_int_equal(hq_client_check_url("https://127.evil.example/", false, &err), FC_OK);
}

static void token_over_the_limit_is_refused(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096], buf[64];
	fc_error err;
	/* 63 bytes fit a 64-byte buffer, with the newline after them */
	tu_write(path, dir, "fits", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\n\n");
	chmod(path, 0600);
	assert_int_equal(hq_client_read_token(path, buf, sizeof buf, &err), FC_OK);
	assert_int_equal(strlen(buf), 63);
	/* 64 bytes: refused, naming the file and the limit, not cut to 63 */
	tu_write(path, dir, "long", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\n");
	chmod(path, 0600);
	fc_error_clear(&err);
	assert_int_equal(hq_client_read_token(path, buf, sizeof buf, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "longer than 63 bytes"));
	assert_null(strstr(err.msg, "abcdefgh"));
	assert_string_equal(buf, "");

	/* the real limit, through hq_client_open */
	size_t big = 5000;
	char *text = malloc(big + 2);
	memset(text, 'T', big);
	memcpy(text + big, "\n", 2);
	tu_write(path, dir, "token", text);
	free(text);
	chmod(path, 0600);
	fc_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.upload_url, sizeof cfg.upload_url, "https://hq.example/");
	config_set(cfg.upload_token_file, sizeof cfg.upload_token_file, path);
	hq_client *c = NULL;
	fc_error_clear(&err);
	assert_int_equal(hq_client_open(&cfg, NULL, &c, &err), FC_ERR_INVALID);
	assert_null(c);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "the upload token is longer than 4095 bytes"));
	tu_rmdir(dir);
}

static void tls_settings_a_libcurl_refuses_stop_the_client(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	fc_error err;
	tu_write(path, dir, "token", "tok\n");
	chmod(path, 0600);
	fc_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.upload_url, sizeof cfg.upload_url, "https://hq.example/");
	config_set(cfg.upload_token_file, sizeof cfg.upload_token_file, path);
	snprintf(cfg.upload_ca_file, sizeof cfg.upload_ca_file, "%s/ca.pem", dir);
	snprintf(cfg.upload_pinned_key, sizeof cfg.upload_pinned_key,
		 "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	hq_client *c = NULL;

	/* this libcurl does both: the client starts */
	assert_int_equal(hq_client_open(&cfg, NULL, &c, &err), FC_OK);
	assert_non_null(c);
	hq_client_close(c);

	refused_option = CURLOPT_PINNEDPUBLICKEY;
	c = NULL;
	fc_error_clear(&err);
	assert_int_equal(hq_client_open(&cfg, NULL, &c, &err), FC_ERR_CONFIG);
	assert_null(c);
	assert_non_null(strstr(err.msg, "cannot pin the public key of [upload] pinned_key"));
	assert_non_null(strstr(err.msg, curl_version()));

	refused_option = CURLOPT_CAINFO;
	fc_error_clear(&err);
	assert_int_equal(hq_client_open(&cfg, NULL, &c, &err), FC_ERR_CONFIG);
	assert_null(c);
	assert_non_null(strstr(err.msg, "cannot use [upload] ca_file"));

	/* without a pin configured, a libcurl without pinning is fine */
	refused_option = CURLOPT_PINNEDPUBLICKEY;
	cfg.upload_pinned_key[0] = '\0';
	assert_int_equal(hq_client_open(&cfg, NULL, &c, &err), FC_OK);
	hq_client_close(c);
	refused_option = (CURLoption)-1;
	tu_rmdir(dir);
}

int main(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loopback_is_an_address),
		cmocka_unit_test(token_over_the_limit_is_refused),
		cmocka_unit_test(tls_settings_a_libcurl_refuses_stop_the_client),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
