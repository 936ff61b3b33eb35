/* ini_table.h — table-driven INI files through inih: each key names its
 * section, type, range and place in a struct.  Used by the station's config
 * (config.c) and head office's (hq/hq_config.c).  Unknown keys and bad values
 * are errors "FILE:LINE: ...", never ignored. */
#ifndef FC_INI_TABLE_H
#define FC_INI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

typedef enum { INI_INT, INI_BOOL, INI_STR, INI_MILLI, INI_SPECIAL } ini_key_type;

/* A special key's parser: false with the accepted values in why. */
typedef bool (*ini_setter)(void *target, const char *value, char *why, size_t whylen);

typedef struct ini_key {
	const char *section;
	const char *name;
	ini_key_type type;
	size_t offset; /* into the target struct (not for INI_SPECIAL) */
	long min, max; /* INI_INT (an int field); INI_MILLI in thousandths;
			* INI_STR: max is the char array's size */
	ini_setter set; /* INI_SPECIAL */
} ini_key;

/* Load path into target by keys[0..n).  FC_ERR_CONFIG with "PATH:LINE:
 * unknown key 'x' in [s]" or "PATH:LINE: bad value for 'k' in [s]: 'v'
 * (accepted: ...)"; a string value that is not UTF-8 is a bad value;
 * FC_ERR_IO when the file cannot be read (a directory is not a file). */
fc_status ini_table_load(const char *path, const ini_key *keys, size_t n, void *target,
			 fc_error *err);

/* Which file to load: explicit_path when given (not empty), else the
 * environment variable env when set, else fallback when it exists, else
 * NULL (the defaults). */
const char *ini_table_pick_path(const char *explicit_path, const char *env,
				const char *fallback);

/* The check of values that must agree once the whole file is read (say,
 * thresholds in order).  lines[i] is the line keys[i] was set on, 0 when
 * the file did not set it.  Returns -1 when all is well, else the index
 * of the key to blame (one the file set) with why filled. */
typedef int (*ini_checker)(const void *target, const int *lines, char *why, size_t whylen);

/* ini_table_load, then check (may be NULL): FC_ERR_CONFIG "PATH:LINE: k in
 * [s]: why" at the line of the key it blames. */
fc_status ini_table_load_checked(const char *path, const ini_key *keys, size_t n, void *target,
				 ini_checker check, fc_error *err);

/* A whole decimal in [min, max]; false on junk, overflow or out of range. */
bool ini_table_parse_long(const char *v, long min, long max, long *out);
/* "1.5" -> 1500 (thousandths, at most three decimals, no sign) in [min, max]. */
bool ini_table_parse_milli(const char *v, long min, long max, long *out);
/* yes/true/on/1 and no/false/off/0. */
bool ini_table_parse_bool(const char *v, bool *out);

#endif
