/* import_kind.c — the columns of each kind of head-office file and the
 * checks of one row's values (types, words, dates, times, card ids, codes,
 * tier for the nature, grade). */
#include "base/import_kind.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/domain.h"
#include "base/rowfile.h"

typedef enum {
	COL_TEXT,
	COL_INT,      /* a whole number >= 0 */
	COL_STAFF,    /* a staff number: a whole number >= 1 */
	COL_ENUM,
	COL_DATE,     /* YYYY-MM-DD */
	COL_TIME,     /* UTC, "2026-07-01T08:00:00Z" exactly */
	COL_PERIOD,   /* a half-year, "2026H2" */
	COL_CARD,     /* canonical card id */
	COL_CODE,     /* customer code, at most IMPORT_CODE_MAX bytes */
	COL_STATION,  /* station id: 1-32 letters, digits, '-' or '_' */
} column_type;

typedef struct column {
	const char *name;
	column_type type;
	bool required;
	const char *const *choices; /* COL_ENUM: NULL-terminated accepted values */
	const char *choice_text;    /* the same for messages */
} column;

static const char *const natures[] = { "big", "individual", NULL };
static const char *const industries[] = { "passenger", "logistics", "taxi", "official",
					  "industrial", "agri", "other", NULL };
static const char *const tiers[] = { "diamond", "gold", "silver", "ordinary", "platinum", NULL };
static const char *const card_kinds[] = { "unit", "personal", NULL };
static const char *const card_states[] = { "active", "blocked", NULL };
static const char *const day_kinds[] = { "holiday", "workday", NULL };

#define ENUM(n, req, list, text) { n, COL_ENUM, req, list, text }
#define PLAIN(n, type, req) { n, type, req, NULL, NULL }

/* Customers: the order is the bind order of the station's statements
 * (import_customers.c, ?1..?23). */
static const column customer_columns[IMPORT_CU_COUNT] = {
	PLAIN("code", COL_CODE, true),
	PLAIN("name", COL_TEXT, true),
	ENUM("nature", true, natures, "big, individual"),
	ENUM("industry", true, industries,
	     "passenger, logistics, taxi, official, industrial, agri, other"),
	ENUM("tier", false, tiers, "diamond, gold, silver, ordinary (big); platinum, gold, "
				   "silver, ordinary (individual)"),
	PLAIN("points", COL_INT, false),
	PLAIN("phone", COL_TEXT, false),
	PLAIN("plate", COL_TEXT, false),
	PLAIN("contact", COL_TEXT, false),
	PLAIN("address", COL_TEXT, false),
	PLAIN("fuel_grades", COL_TEXT, false),
	PLAIN("yearly_litres", COL_INT, false),
	PLAIN("refuel_cycle_days", COL_INT, false),
	PLAIN("other_channels", COL_TEXT, false),
	PLAIN("potential_needs", COL_TEXT, false),
	PLAIN("person_in_charge", COL_TEXT, false),
	PLAIN("handler", COL_TEXT, false),
	PLAIN("special_needs", COL_TEXT, false),
	PLAIN("last_purchase_at", COL_TIME, false),
	PLAIN("home_station", COL_STATION, false),
	PLAIN("owner_staff", COL_STAFF, false),
	PLAIN("owner_name", COL_TEXT, false),
	PLAIN("points_seq", COL_INT, false),
};
static const column card_columns[] = {
	PLAIN("card_id", COL_CARD, true),
	PLAIN("customer_code", COL_CODE, true),
	ENUM("kind", true, card_kinds, "unit, personal"),
	ENUM("status", false, card_states, "active, blocked"),
};
static const column blocked_columns[] = {
	PLAIN("card_id", COL_CARD, true),
	PLAIN("reason", COL_TEXT, false),
};
static const column price_columns[] = {
	PLAIN("grade", COL_TEXT, true),
	ENUM("tier", true, tiers, "diamond, gold, silver, ordinary, platinum"),
	ENUM("nature", true, natures, "big, individual"),
	PLAIN("discount_fen_per_litre", COL_INT, true),
};
static const column holiday_columns[] = {
	PLAIN("date", COL_DATE, true),
	ENUM("kind", true, day_kinds, "holiday, workday"),
	PLAIN("name", COL_TEXT, false),
};
static const column tier_columns[] = {
	PLAIN("customer_code", COL_CODE, true),
	ENUM("tier", true, tiers, "diamond, gold, silver, ordinary, platinum"),
	PLAIN("period", COL_PERIOD, true),
};
static const column litres_columns[] = {
	PLAIN("customer_code", COL_CODE, true),
	PLAIN("period", COL_PERIOD, true),
	PLAIN("litres", COL_INT, true),
};

static const struct {
	const char *name;
	const column *columns;
	int count;
	const char *list; /* the column names, for messages */
	int key[3];       /* the key's columns, -1 after the last */
	const char *key_names;
} kinds[IMPORT_KIND_COUNT] = {
	[IMPORT_CUSTOMERS] = { "customers", customer_columns, IMPORT_CU_COUNT,
			       "code, name, nature, industry, tier, points, phone, plate, contact, "
			       "address, fuel_grades, yearly_litres, refuel_cycle_days, "
			       "other_channels, potential_needs, person_in_charge, handler, "
			       "special_needs, last_purchase_at, home_station, owner_staff, "
			       "owner_name, points_seq",
			       { IMPORT_CU_CODE, -1 }, "code" },
	[IMPORT_CARDS] = { "cards", card_columns, 4, "card_id, customer_code, kind, status",
			   { IMPORT_CA_ID, -1 }, "card_id" },
	[IMPORT_BLOCKED] = { "blocked", blocked_columns, 2, "card_id, reason",
			     { IMPORT_BL_ID, -1 }, "card_id" },
	[IMPORT_PRICES] = { "prices", price_columns, 4,
			    "grade, tier, nature, discount_fen_per_litre",
			    { IMPORT_PR_GRADE, IMPORT_PR_TIER, IMPORT_PR_NATURE },
			    "grade, tier, nature" },
	[IMPORT_HOLIDAYS] = { "holidays", holiday_columns, 3, "date, kind, name",
			      { IMPORT_HO_DATE, -1 }, "date" },
	[IMPORT_TIERS] = { "tiers", tier_columns, 3, "customer_code, tier, period",
			   { IMPORT_TI_CUSTOMER, IMPORT_TI_PERIOD, -1 }, "customer_code, period" },
	[IMPORT_LITRES] = { "litres", litres_columns, 3, "customer_code, period, litres",
			    { IMPORT_LI_CUSTOMER, IMPORT_LI_PERIOD, -1 }, "customer_code, period" },
};

bool import_kind_parse(const char *name, import_kind *out)
{
	for (int i = 0; i < IMPORT_KIND_COUNT; i++) {
		if (strcmp(kinds[i].name, name) == 0) {
			*out = (import_kind)i;
			return true;
		}
	}
	return false;
}

const char *import_kind_name(import_kind kind)
{
	return kind >= 0 && kind < IMPORT_KIND_COUNT ? kinds[kind].name : "?";
}

const char *import_kind_columns(import_kind kind)
{
	return kind >= 0 && kind < IMPORT_KIND_COUNT ? kinds[kind].list : "";
}

int import_kind_column_count(import_kind kind)
{
	return kinds[kind].count;
}

const char *import_kind_column_name(import_kind kind, int i)
{
	return kinds[kind].columns[i].name;
}

bool import_kind_column_required(import_kind kind, int i)
{
	return kinds[kind].columns[i].required;
}

bool import_kind_column_is_int(import_kind kind, int i)
{
	column_type t = kinds[kind].columns[i].type;
	return t == COL_INT || t == COL_STAFF;
}

int import_kind_column_find(import_kind kind, const char *name)
{
	for (int i = 0; i < kinds[kind].count; i++)
		if (strcmp(kinds[kind].columns[i].name, name) == 0)
			return i;
	return -1;
}

size_t import_kind_key(import_kind kind, const char *const *vals, char *key, size_t n,
		       const char **names)
{
	size_t len = 0;
	if (names)
		*names = kinds[kind].key_names;
	for (int i = 0; i < 3 && kinds[kind].key[i] >= 0; i++) {
		const char *v = vals[kinds[kind].key[i]];
		size_t vlen = v ? strlen(v) : 0;
		if (!vlen || len + vlen + 2 > n)
			return 0;
		if (i)
			key[len++] = IMPORT_KEY_SEP;
		memcpy(key + len, v, vlen);
		len += vlen;
	}
	key[len] = '\0';
	return len;
}

static bool parse_count(const char *s, int64_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = n;
	return true;
}

static bool valid_date(const char *s)
{
	struct tm tm = { 0 };
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    s[4] != '-' || s[7] != '-')
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	return back.tm_year == y - 1900 && back.tm_mon == m - 1 && back.tm_mday == d;
}

/* The one form of a UTC time: what clock_format_iso writes. */
static bool valid_time(const char *s)
{
	int64_t ms;
	char back[CLOCK_ISO_LEN];
	return clock_parse_iso(s, &ms) && strcmp(clock_format_iso(ms, back), s) == 0;
}

static bool valid_period(const char *s)
{
	return strlen(s) == 6 && s[0] == '2' && strspn(s, "0123456789") == 4 && s[4] == 'H' &&
	       (s[5] == '1' || s[5] == '2');
}

static bool valid_station(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 32 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

const char *import_kind_card_problem(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return "a card id has 2 to 64 hex digits";
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'f')
			return "hex digits must be uppercase (canonical form)";
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
			return "only hex digits 0-9 A-F";
	}
	return NULL;
}

/* Type checks of every column; false when the row is bad (noted). */
static bool check_columns(import_kind kind, const char *const *v, int64_t *nums,
			  rowfile_errors *e)
{
	bool ok = true;
	for (int i = 0; i < kinds[kind].count; i++) {
		const column *col = &kinds[kind].columns[i];
		const char *s = v[i];
		if (!s) {
			if (col->required) {
				rowfile_bad(e, col->name, "required, but empty");
				ok = false;
			}
			continue;
		}
		const char *problem = NULL;
		switch (col->type) {
		case COL_TEXT:
			break;
		case COL_INT:
			if (!parse_count(s, &nums[i]))
				rowfile_bad(e, col->name, "'%s' is not a whole number >= 0", s),
					ok = false;
			break;
		case COL_STAFF:
			if (!parse_count(s, &nums[i]) || nums[i] < 1)
				rowfile_bad(e, col->name, "'%s' is not a staff number (a whole number "
					    ">= 1)", s), ok = false;
			break;
		case COL_ENUM: {
			bool found = false;
			for (const char *const *p = col->choices; *p && !found; p++)
				found = strcmp(*p, s) == 0;
			if (!found)
				rowfile_bad(e, col->name, "'%s' is not one of: %s", s, col->choice_text),
					ok = false;
			break;
		}
		case COL_DATE:
			if (!valid_date(s))
				rowfile_bad(e, col->name, "'%s' is not a date YYYY-MM-DD", s), ok = false;
			break;
		case COL_TIME:
			if (!valid_time(s))
				rowfile_bad(e, col->name, "'%s' is not a UTC time YYYY-MM-DDTHH:MM:SSZ",
					    s), ok = false;
			break;
		case COL_PERIOD:
			if (!valid_period(s))
				rowfile_bad(e, col->name, "'%s' is not a half-year YYYYH1 or YYYYH2 "
					    "(e.g. 2026H2)", s), ok = false;
			break;
		case COL_CODE:
			if (strlen(s) > IMPORT_CODE_MAX)
				rowfile_bad(e, col->name, "'%.40s%s' is longer than %d bytes", s,
					    strlen(s) > 40 ? "..." : "", IMPORT_CODE_MAX), ok = false;
			break;
		case COL_STATION:
			if (!valid_station(s))
				rowfile_bad(e, col->name, "'%s' is not a station id (1-32 letters, "
					    "digits, '-' or '_')", s), ok = false;
			break;
		case COL_CARD:
			problem = import_kind_card_problem(s);
			if (problem)
				rowfile_bad(e, col->name, "'%s': %s", s, problem), ok = false;
			break;
		}
	}
	return ok;
}

bool import_kind_check_tier(const char *tier, const char *nature_key, rowfile_errors *e)
{
	fc_nature nature;
	fc_tier t;
	if (tier && (!nature_parse(nature_key, &nature) || !tier_parse(tier, nature, &t))) {
		rowfile_bad(e, "tier", "'%s' is not a tier of nature '%s'", tier, nature_key);
		return false;
	}
	return true;
}

static bool check_grade(const char *grade, const fc_config *cfg, rowfile_errors *e)
{
	if (cfg && config_grade_index(cfg, grade) < 0) {
		rowfile_bad(e, "grade", "'%s' is not a grade of [fuel] grades", grade);
		return false;
	}
	if (!cfg && strlen(grade) >= sizeof cfg->grades[0]) {
		rowfile_bad(e, "grade", "'%s' is longer than %zu bytes (a grade name of [fuel] "
			    "grades)", grade, sizeof cfg->grades[0] - 1);
		return false;
	}
	return true;
}

/* A discount must leave a price to pay: below the grade's list price of
 * [fuel] price_fen (when the station knows it; head office, cfg NULL,
 * serves stations with their own prices). */
static bool check_discount(const char *grade, int64_t discount, const fc_config *cfg,
			   rowfile_errors *e)
{
	int g = cfg ? config_grade_index(cfg, grade) : -1;
	if (g < 0 || cfg->grade_price_fen[g] <= 0 || discount < cfg->grade_price_fen[g])
		return true;
	rowfile_bad(e, "discount_fen_per_litre", "%lld fen is not below the list price of %s "
		    "(%d fen per litre, [fuel] price_fen): the fuel would be free",
		    (long long)discount, grade, cfg->grade_price_fen[g]);
	return false;
}

bool import_kind_check_row(import_kind kind, const char *const *vals, const fc_config *cfg,
			   int64_t *nums, rowfile_errors *errors)
{
	if (!check_columns(kind, vals, nums, errors))
		return false;
	switch (kind) {
	case IMPORT_CUSTOMERS:
		if (vals[IMPORT_CU_POINTS_SEQ] && !vals[IMPORT_CU_POINTS]) {
			rowfile_bad(errors, "points_seq", "given without points (it says how far "
				    "this station's records are in that balance)");
			return false;
		}
		return import_kind_check_tier(vals[IMPORT_CU_TIER], vals[IMPORT_CU_NATURE], errors);
	case IMPORT_PRICES:
		return check_grade(vals[IMPORT_PR_GRADE], cfg, errors) &&
		       check_discount(vals[IMPORT_PR_GRADE], nums[IMPORT_PR_DISCOUNT], cfg, errors) &&
		       import_kind_check_tier(vals[IMPORT_PR_TIER], vals[IMPORT_PR_NATURE], errors);
	default:
		return true;
	}
}
