/* seed_extra.c — money, points, discounts, complaints and completion meta
 * of the demo database; every choice is a hash of the seed. */
#include "seeds/seed_extra.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "care/workdays.h"
#include "seeds/seed_rng.h"
#include "store/db.h"

#define ROW_SALT 0x726f77ULL
#define POINTS_SALT 0x707473ULL
#define COMPLAINT_SALT 0x636f6dULL

int seed_extra_discount(fc_tier tier)
{
	static const int fen[TIER_COUNT] = {
		[TIER_BIG_DIAMOND] = 30, [TIER_BIG_GOLD] = 20, [TIER_BIG_SILVER] = 10,
		[TIER_IND_PLATINUM] = 25, [TIER_IND_GOLD] = 15, [TIER_IND_SILVER] = 5,
	};
	return fen[tier];
}

static int is_dedicated(const fc_config *cfg, int pump)
{
	for (int i = 0; i < cfg->pump_count; i++)
		if (cfg->pumps[i] == pump)
			return 1;
	return 0;
}

void seed_extra_visit_row(const seed_options *opt, const seed_plan *plan, long c, int k,
			  seed_visit_row *out)
{
	const fc_config *cfg = opt->cfg;
	const seed_customer *p = &plan->customers[c];
	fc_tier tier = (fc_tier)p->tier;
	uint64_t h = seed_hash(opt->seed, (uint64_t)c, (uint64_t)k, ROW_SALT);

	out->card_index = 0;
	if (p->old_card)
		out->card_index = 1;
	else if (p->ncards > 1) {
		out->card_index = (int)(h % p->ncards);
		if (seed_card_blocked(opt, plan, c, out->card_index))
			out->card_index = 0;
	}
	h = seed_mix(h);
	if (config_green_lane(cfg, tier) && cfg->pump_count > 0) {
		out->pump = cfg->pumps[h % (uint64_t)cfg->pump_count];
	} else {
		out->pump = 1 + (int)(h % 8);
		for (int i = 0; i < 8 && is_dedicated(cfg, out->pump); i++)
			out->pump = out->pump % 8 + 1;
	}
	h = seed_mix(h);
	out->grade = p->grade;
	if (h % 10 == 0 && cfg->grade_count > 1)
		out->grade = (int)((h >> 8) % (uint64_t)cfg->grade_count);
	out->volume_ml = seed_visit_ml(opt, plan, c, k);
	out->price_fen = cfg->grade_price_fen[out->grade];
	int64_t gross = ((int64_t)out->price_fen * out->volume_ml + 500) / 1000;
	out->discount_fen = ((int64_t)seed_extra_discount(tier) * out->volume_ml + 500) / 1000;
	if (out->discount_fen > gross)
		out->discount_fen = gross;
	out->amount_fen = gross - out->discount_fen;
	out->points = out->volume_ml * cfg->points_per_litre_milli *
		      cfg->points_multiplier_milli[tier] / 1000000000LL;
}

int64_t seed_extra_points_balance(const seed_options *opt, const seed_plan *plan, long c)
{
	const seed_customer *p = &plan->customers[c];
	int64_t earned = 0;
	for (int k = 0; k < p->na + p->nb; k++) {
		seed_visit_row v;
		seed_extra_visit_row(opt, plan, c, k, &v);
		earned += v.points;
	}
	/* Some was redeemed already, in whole yuan. */
	int per_yuan = opt->cfg->points_per_yuan > 0 ? opt->cfg->points_per_yuan : 100;
	int64_t redeemed = earned * (int64_t)(seed_hash(opt->seed, (uint64_t)c, 0, POINTS_SALT) % 60) / 100;
	redeemed -= redeemed % per_yuan;
	return earned - redeemed;
}

/* Write v as `digits` lowercase (or uppercase) hex digits at p. */
static void hex_put(char *p, uint64_t v, int digits, const char *alphabet)
{
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		p[i] = alphabet[v & 0xF];
}

void seed_uuid(int64_t ms, uint64_t bits, char out[SEED_UUID_LEN])
{
	static const char lower[] = "0123456789abcdef";
	uint64_t ts = (uint64_t)ms & 0xFFFFFFFFFFFFULL;
	uint64_t b2 = seed_mix(bits);
	/* xxxxxxxx-xxxx-7xxx-Vxxx-xxxxxxxxxxxx: 48-bit time, version 7,
	 * 12 random bits, variant 10, 62 random bits. */
	hex_put(out, ts >> 16, 8, lower);
	out[8] = '-';
	hex_put(out + 9, ts & 0xFFFF, 4, lower);
	out[13] = '-';
	out[14] = '7';
	hex_put(out + 15, bits & 0xFFF, 3, lower);
	out[18] = '-';
	hex_put(out + 19, 0x8000 | ((bits >> 12) & 0x3FFF), 4, lower);
	out[23] = '-';
	hex_put(out + 24, b2 & 0xFFFFFFFFFFFFULL, 12, lower);
	out[36] = '\0';
}

void seed_card_id(const seed_options *opt, long i, char out[16])
{
	uint64_t h = seed_hash(opt->seed, (uint64_t)i, 1, 0x63617264ULL);
	hex_put(out, 0x0A00000000ULL + (uint64_t)i * 97 + h % 97, 10, "0123456789ABCDEF");
	out[10] = '\0';
}

fc_status seed_extra_prices(sqlite3 *db, const seed_options *opt, fc_error *err)
{
	const fc_config *cfg = opt->cfg;
	char iso[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "INSERT INTO prices(grade, tier, nature, discount_fen_per_litre, "
				 "updated_at) VALUES (?,?,?,?,?)",
				 &st, err);
	clock_format_iso(opt->reference_ms - 7 * SEED_DAY_MS, iso);
	for (int g = 0; !s && g < cfg->grade_count; g++) {
		for (int t = 0; !s && t < TIER_COUNT; t++) {
			int fen = seed_extra_discount((fc_tier)t);
			if (!fen)
				continue;
			sqlite3_bind_text(st, 1, cfg->grades[g], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, tier_key((fc_tier)t), -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, nature_key(tier_nature((fc_tier)t)), -1,
					  SQLITE_STATIC);
			sqlite3_bind_int(st, 4, fen);
			sqlite3_bind_text(st, 5, iso, -1, SQLITE_STATIC);
			int rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				s = db_fail(db, rc, "storing an approved discount", err);
		}
	}
	sqlite3_finalize(st);
	return s;
}

typedef struct demo_complaint {
	int days_ago;         /* received this many days before the reference */
	const char *channel, *category, *severity, *approved_by, *content;
	const char *result, *handler; /* NULL while open */
} demo_complaint;

static const demo_complaint complaints[] = {
	{ 3, "book", "服务态度", "general", NULL, "加油员找零时态度不耐烦，希望加强培训。",
	  NULL, NULL }, /* made overdue below */
	{ 1, "phone", "开票", "major", NULL, "开具增值税专用发票等了二十多分钟，耽误车队出车。",
	  NULL, NULL },
	{ 0, "in_person", "设施", "general", NULL, "洗手间缺少洗手液，夜间照明不足。", NULL, NULL },
	{ 2, "book", "油品质量", "special", "王建国（经营部经理）",
	  "怀疑上周加的0#柴油含水，车辆出现抖动，要求检测油品。", NULL, NULL },
	{ 30, "book", "建议", "general", NULL, "建议增加移动支付优惠活动。",
	  "已转告营销部门，下月起周末微信支付立减。", "李站长" },
	{ 25, "phone", "积分", "major", NULL, "积分没有按时到账。",
	  "系统同步延迟，已补录积分并致歉。", "张会计" },
};

static fc_status complaint_insert(sqlite3 *db, sqlite3_stmt *st, const seed_options *opt,
				  const seed_plan *plan, int i, int64_t received, fc_error *err)
{
	const demo_complaint *d = &complaints[i];
	const fc_config *cfg = opt->cfg;
	char id[SEED_UUID_LEN], iso[CLOCK_ISO_LEN], closed[CLOCK_ISO_LEN], deadline[WORKDAYS_DATE_LEN];
	int days = strcmp(d->severity, "general") == 0 ? cfg->complaint_general_days
		   : strcmp(d->severity, "major") == 0 ? cfg->complaint_major_days
						       : cfg->complaint_special_max_days;
	fc_status s = workdays_add(db, received, days, deadline, err);
	if (s)
		return s;
	uint64_t h = seed_hash(opt->seed, (uint64_t)i, 0, COMPLAINT_SALT);
	seed_uuid(received, h, id);
	clock_format_iso(received, iso);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, iso, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, iso, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, d->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, d->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, d->severity, -1, SQLITE_STATIC);
	if (d->approved_by)
		sqlite3_bind_text(st, 7, d->approved_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, d->content, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, deadline, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, d->result ? "closed" : "open", -1, SQLITE_STATIC);
	if (d->result) {
		sqlite3_bind_text(st, 11, d->result, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 12, d->handler, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, clock_format_iso(received + SEED_DAY_MS / 3, closed), -1,
				  SQLITE_TRANSIENT);
	}
	sqlite3_bind_int64(st, 14, 1 + (int64_t)(seed_mix(h) % (uint64_t)plan->count));
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "storing a demo complaint", err);
}

fc_status seed_extra_complaints(sqlite3 *db, const seed_options *opt, const seed_plan *plan,
				fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
		"INSERT INTO complaints(id, created_at, received_at, channel, category, severity, "
		"approved_by, content, deadline, status, result, handler, closed_at, customer_id, "
		"customer_name) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, id, "
		"name FROM customers WHERE id = ?14",
		&st, err);
	for (int i = 0; !s && i < (int)(sizeof complaints / sizeof complaints[0]); i++) {
		/* Received at 10:00 China time (02:00 UTC) that day; today's at
		 * the reference less two hours. */
		int64_t day = opt->reference_ms / SEED_DAY_MS * SEED_DAY_MS;
		int64_t received = complaints[i].days_ago
					   ? day - complaints[i].days_ago * SEED_DAY_MS + 2 * 3600000LL
					   : opt->reference_ms - 2 * 3600000LL;
		if (i == 0) {
			/* Overdue: go back until its deadline has ended (holidays and
			 * weekends may stretch it). */
			for (int back = complaints[i].days_ago; back < 60; back++) {
				char deadline[WORKDAYS_DATE_LEN];
				int64_t end;
				received = day - back * SEED_DAY_MS + 2 * 3600000LL;
				s = workdays_add(db, received, opt->cfg->complaint_general_days,
						 deadline, err);
				if (!s)
					s = workdays_deadline_end_ms(deadline, &end, err);
				if (s || end + SEED_DAY_MS <= opt->reference_ms)
					break;
			}
		}
		if (!s)
			s = complaint_insert(db, st, opt, plan, i, received, err);
	}
	sqlite3_finalize(st);
	return s;
}

fc_status seed_extra_meta(sqlite3 *db, const seed_options *opt, const seed_plan *plan,
			  fc_error *err)
{
	char buf[64], iso[CLOCK_ISO_LEN];
	clock_format_iso(opt->reference_ms, iso);
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)opt->seed);
	fc_status s = db_meta_set(db, "demo_seed", buf, err);
	snprintf(buf, sizeof buf, "%ld", plan->count);
	if (!s)
		s = db_meta_set(db, "demo_customers", buf, err);
	if (!s)
		s = db_meta_set(db, "demo_reference", iso, err);
	if (!s) /* stabilities are as of the reference: its daily run is done */
		s = db_meta_set(db, "classified_day", clock_local_date(opt->reference_ms, buf), err);
	if (!s)
		s = db_meta_set(db, "demo_complete", iso, err);
	return s;
}
