/* cmd_pump.c — `forecourt lookup | visit | redeem | register`: the headless
 * twins of the swipe screen, on the same core calls as the kiosk and on one
 * argument parser (so one file for four commands: cmd_pump_*). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "pump/lookup.h"
#include "pump/redeem.h"
#include "pump/register.h"
#include "pump/visit.h"

enum { OPT_JSON = 1, OPT_CARD, OPT_GRADE, OPT_LITRES, OPT_AMOUNT, OPT_PUMP, OPT_ANON,
       OPT_POINTS, OPT_NAME, OPT_PHONE, OPT_PLATE, OPT_NATURE, OPT_INDUSTRY };

typedef struct pump_args {
	bool json, anonymous;
	const char *card, *grade, *litres, *amount, *pump, *points;
	const char *name, *phone, *plate, *nature, *industry;
	const char *positional; /* lookup CARD */
} pump_args;

/* getopt_long over argv[1..]: every option of the pump commands is parsed,
 * the command checks which ones it accepts.  -1 after a message. */
static int pump_parse_args(int argc, char **argv, pump_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "card", required_argument, NULL, OPT_CARD },
		{ "grade", required_argument, NULL, OPT_GRADE },
		{ "litres", required_argument, NULL, OPT_LITRES },
		{ "amount", required_argument, NULL, OPT_AMOUNT },
		{ "pump", required_argument, NULL, OPT_PUMP },
		{ "anonymous", no_argument, NULL, OPT_ANON },
		{ "points", required_argument, NULL, OPT_POINTS },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "phone", required_argument, NULL, OPT_PHONE },
		{ "plate", required_argument, NULL, OPT_PLATE },
		{ "nature", required_argument, NULL, OPT_NATURE },
		{ "industry", required_argument, NULL, OPT_INDUSTRY },
		{ NULL, 0, NULL, 0 },
	};
	memset(a, 0, sizeof *a);
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: a->json = true; break;
		case OPT_ANON: a->anonymous = true; break;
		case OPT_CARD: a->card = optarg; break;
		case OPT_GRADE: a->grade = optarg; break;
		case OPT_LITRES: a->litres = optarg; break;
		case OPT_AMOUNT: a->amount = optarg; break;
		case OPT_PUMP: a->pump = optarg; break;
		case OPT_POINTS: a->points = optarg; break;
		case OPT_NAME: a->name = optarg; break;
		case OPT_PHONE: a->phone = optarg; break;
		case OPT_PLATE: a->plate = optarg; break;
		case OPT_NATURE: a->nature = optarg; break;
		case OPT_INDUSTRY: a->industry = optarg; break;
		default:
			return cli_option_error(argv[0], c, argv);
		}
	}
	if (optind < argc)
		a->positional = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "forecourt %s: unexpected argument '%s'\n", argv[0], argv[optind]);
		return -1;
	}
	return 0;
}

/* A non-negative decimal with at most `places` decimals, scaled by
 * 10^places ("40.5", 3 -> 40500).  false with why filled when malformed. */
#define PUMP_PARSE_MAX 1000000000000000LL /* overflow guard only */

static bool pump_parse_decimal(const char *text, int places, int64_t max, int64_t *out,
			       char *why, size_t n)
{
	int64_t v = 0;
	int decimals = -1;
	const char *p = text;
	if (*p == '-') {
		snprintf(why, n, "'%s' is below zero: it must be above zero", text);
		return false;
	}
	for (; *p; p++) {
		if (*p == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9') {
			snprintf(why, n, "'%s' is not a number (like 40 or 40.5)", text);
			return false;
		}
		if (decimals >= 0 && ++decimals > places) {
			snprintf(why, n, "'%s' has more than %d decimals", text, places);
			return false;
		}
		v = v * 10 + (*p - '0');
		if (v > max) {
			snprintf(why, n, "'%s' is too large", text);
			return false;
		}
	}
	if (p == text || (decimals == 0 && p - text == 1)) {
		snprintf(why, n, "'%s' is not a number (like 40 or 40.5)", text);
		return false;
	}
	for (int i = decimals < 0 ? 0 : decimals; i < places; i++)
		v *= 10;
	if (v > max) {
		snprintf(why, n, "'%s' is too large", text);
		return false;
	}
	*out = v;
	return true;
}

/* The usage error "forecourt: OPTION: WHY" of cmd. */
static int pump_bad_value(const cli_command *cmd, const char *option, const char *why)
{
	char text[200];
	snprintf(text, sizeof text, "%s: %s", option, why);
	return cli_usage(cmd, text);
}

static json_t *lookup_to_json(const fc_card_view *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "card", json_string(v->card_id));
	json_object_set_new(o, "registered", json_boolean(v->registered));
	if (!v->registered)
		return o;
	json_t *pumps = json_array(), *discounts = json_object();
	for (int i = 0; i < v->pump_count; i++)
		json_array_append_new(pumps, json_integer(v->pumps[i]));
	for (int i = 0; i < v->discount_count; i++)
		json_object_set_new(discounts, v->discounts[i].grade,
				    json_integer(v->discounts[i].fen_per_litre));
	json_object_set_new(o, "card_masked", json_string(v->card_masked));
	json_object_set_new(o, "customer_code", json_string(v->customer_code));
	json_object_set_new(o, "name", json_string(v->name));
	json_object_set_new(o, "nature", json_string(nature_key(v->nature)));
	json_object_set_new(o, "industry", json_string(industry_key(v->industry)));
	json_object_set_new(o, "tier", json_string(tier_key(v->tier)));
	json_object_set_new(o, "tier_source", json_string(v->tier_from_hq ? "hq" : "local"));
	json_object_set_new(o, "tier_provisional", json_boolean(v->tier_provisional));
	json_object_set_new(o, "green_lane", json_boolean(v->green_lane));
	json_object_set_new(o, "pumps", pumps);
	json_object_set_new(o, "points", json_integer(v->points));
	json_object_set_new(o, "points_offline", json_boolean(v->points_stale));
	json_object_set_new(o, "blocked", json_boolean(v->blocked));
	if (v->blocked)
		json_object_set_new(o, "blocked_reason", json_string(v->blocked_reason));
	json_object_set_new(o, "stability", json_string(stability_key(v->stability)));
	json_object_set_new(o, "won_back", json_boolean(v->won_back));
	json_object_set_new(o, "discounts_fen_per_litre", discounts);
	json_object_set_new(o, "maintained_by", json_string(v->owner_key));
	json_object_set_new(o, "owner_staff",
			    v->owner_staff > 0 ? json_integer(v->owner_staff) : json_null());
	json_object_set_new(o, "owner_name",
			    v->owner_name[0] ? json_string(v->owner_name) : json_null());
	json_object_set_new(o, "home_station",
			    v->home_station[0] ? json_string(v->home_station) : json_null());
	json_object_set_new(o, "callback_owed", json_boolean(v->callback_owed));
	json_object_set_new(o, "callback_due", json_boolean(v->callback_due));
	json_object_set_new(o, "callback_holiday", json_boolean(v->callback_holiday));
	json_object_set_new(o, "callback_special", v->callback_special[0]
			    ? json_pack("{s:s, s:s}", "kind", v->callback_special, "date",
					v->callback_special_date) : json_null());
	json_object_set_new(o, "callbacks_done", json_integer(v->callbacks_done));
	json_object_set_new(o, "callbacks_required", json_integer(v->callbacks_required));
	json_object_set_new(o, "last_visit_at",
			    v->last_visit_at[0] ? json_string(v->last_visit_at) : json_null());
	json_object_set_new(o, "last_purchase_at",
			    v->last_purchase_at[0] ? json_string(v->last_purchase_at) : json_null());
	return o;
}

static void lookup_print_text(const fc_config *cfg, const fc_card_view *v)
{
	if (v->blocked)
		printf("BLOCKED CARD %s%s%s: no benefits\n", v->card_masked,
		       v->blocked_reason[0] ? ": " : "", v->blocked_reason);
	printf("card        %s\n", v->card_masked);
	printf("customer    %s  %s\n", v->customer_code, v->name);
	printf("class       %s, %s, %s%s\n", nature_key(v->nature), industry_key(v->industry),
	       stability_key(v->stability), v->won_back ? " (won back)" : "");
	printf("tier        %s (%s%s)\n", tier_config_name(v->tier), v->tier_from_hq ? "hq" : "local",
	       v->tier_provisional ? ", provisional: declared demand" : "");
	if (v->green_lane) {
		printf("green lane  YES, pumps");
		for (int i = 0; i < v->pump_count; i++)
			printf("%s %d", i ? "," : "", v->pumps[i]);
		printf("\n");
	} else {
		printf("green lane  no\n");
	}
	printf("points      %lld = %.2f yuan%s\n", (long long)v->points,
	       (double)v->points / cfg->points_per_yuan,
	       v->points_stale ? " (offline: last synced balance + local movements)" : "");
	for (int i = 0; i < v->discount_count; i++)
		printf("discount    %s -%d.%02d yuan/L\n", v->discounts[i].grade,
		       v->discounts[i].fen_per_litre / 100, v->discounts[i].fen_per_litre % 100);
	printf("maintained  %s\n", v->owner_key);
	if (v->owner_name[0] || v->owner_staff > 0)
		printf("owner       %s (staff %lld%s%s)\n", v->owner_name[0] ? v->owner_name : "?",
		       (long long)v->owner_staff, v->home_station[0] ? " at " : "",
		       v->home_station);
	printf("last buy    %s\n", v->last_purchase_at[0] ? v->last_purchase_at : "never");
	char owed[96] = "";
	if (v->callback_due && v->callback_special[0])
		snprintf(owed, sizeof owed, " (callback due: %s on %s)", v->callback_special,
			 v->callback_special_date);
	else if (v->callback_due)
		snprintf(owed, sizeof owed, " (callback due%s)",
			 v->callback_holiday ? ": a holiday is ahead" : "");
	else if (!v->callback_owed && v->home_station[0] &&
		 strcmp(v->home_station, cfg->station_id) != 0)
		snprintf(owed, sizeof owed, " (owed by %s, the home station)", v->home_station);
	else if (!v->callback_owed)
		snprintf(owed, sizeof owed, " (owed by the %s, not this station)", v->owner_key);
	printf("callbacks   %d of %d this month%s\n", v->callbacks_done, v->callbacks_required,
	       owed);
}

static int cmd_pump_lookup_run(fc_app *app, int argc, char **argv)
{
	pump_args a;
	fc_card_view v;
	fc_error err;
	fc_error_clear(&err);
	if (pump_parse_args(argc, argv, &a) < 0)
		return cli_usage(&cmd_pump_lookup, NULL);
	if (!a.positional || a.card || a.grade || a.litres || a.amount || a.pump || a.points ||
	    a.anonymous || a.name)
		return cli_usage(&cmd_pump_lookup,
				 a.positional ? "lookup takes a card and --json only" : "which card?");
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = lookup_card(app->db, &app->cfg, a.positional, &v, &err);
	if (st)
		return cli_fail(st, &err);
	if (v.blocked) /* presenting a blocked card is an event head office wants */
		st = visit_record_blocked_seen(app->db, &app->cfg, v.card_id, "lookup",
					       app->staff_id, NULL, &err);
	if (a.json) {
		json_t *o = lookup_to_json(&v);
		char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (text)
			printf("%s\n", text);
		free(text);
	} else if (v.registered) {
		lookup_print_text(&app->cfg, &v);
	}
	if (st)
		return cli_fail(st, &err);
	if (!v.registered) {
		fprintf(stderr, "forecourt: card %s is not registered\n", v.card_masked);
		return 1;
	}
	if (v.blocked) {
		fprintf(stderr, "forecourt: card %s is blocked%s%s: no benefits\n", v.card_masked,
			v.blocked_reason[0] ? ": " : "", v.blocked_reason);
		return 1;
	}
	return 0;
}

const cli_command cmd_pump_lookup = {
	.name = "lookup",
	.run = cmd_pump_lookup_run,
	.usage = "forecourt lookup CARD [--json]",
	.summary = "what a card gets: tier, green lane, points, discounts",
	.help = "Prints the customer, tier, green lane and dedicated pumps, points balance\n"
		"(last synced + local movements; marked offline when meta 'last_upload_ok_at'\n"
		"is older than [points] stale_after_minutes), approved discounts, who maintains\n"
		"the customer (the role, and the named owner at the home station when head\n"
		"office has named one), the last purchase at any station, and whether a\n"
		"callback is due (as in `forecourt callback due`: only for the customers this\n"
		"station owes).  CARD is hex (case and blanks are ignored).  --json prints one\n"
		"object: card, registered, customer_code, name, nature, tier, green_lane,\n"
		"pumps, points, blocked, stability, owner_name, owner_staff, home_station,\n"
		"callback_due, tier_provisional (a tier from the declared demand: no green\n"
		"lane), callback_special ({kind: birthday|anniversary, date} of a care call\n"
		"due, else null) and more.\n"
		"Exit 1 for an unknown card ({\"card\":..,\"registered\":false}) or a blocked\n"
		"card (recorded as blocked_card_seen for head office).\n",
};

static int cmd_pump_visit_run(fc_app *app, int argc, char **argv)
{
	pump_args a;
	fc_visit_input in = { .pump = 1, .staff_id = app->staff_id, .via = "cli" };
	fc_visit_result r;
	fc_error err;
	char why[160];
	int64_t pump;
	fc_error_clear(&err);
	if (pump_parse_args(argc, argv, &a) < 0)
		return cli_usage(&cmd_pump_visit, NULL);
	if (a.positional || a.points || a.json || a.name)
		return cli_usage(&cmd_pump_visit, "visit takes --card or --anonymous, --grade, "
						  "--litres or --amount, --pump");
	if (!a.card == !a.anonymous)
		return cli_usage(&cmd_pump_visit, a.card ? "give --card or --anonymous, not both"
							 : "give --card ID or --anonymous");
	char canonical[80];
	fc_error card_err;
	if (a.card && lookup_canonical_card(a.card, canonical, &card_err) != FC_OK)
		return pump_bad_value(&cmd_pump_visit, "--card",
				      a.card[strspn(a.card, " \t")]
					      ? fc_error_text(&card_err)
					      : "no card id given (--anonymous records a fuelling "
						"without a card)");
	if (!a.grade)
		return cli_usage(&cmd_pump_visit, "--grade is missing");
	if (!a.litres == !a.amount)
		return cli_usage(&cmd_pump_visit, a.litres ? "give --litres or --amount, not both"
							   : "give --litres or --amount");
	/* Only syntax and overflow here: the limits are visit_check_input's,
	 * the same for the kiosk. */
	if (a.litres && !pump_parse_decimal(a.litres, 3, PUMP_PARSE_MAX, &in.volume_ml, why,
					    sizeof why))
		return pump_bad_value(&cmd_pump_visit, "--litres", why);
	if (a.amount && !pump_parse_decimal(a.amount, 2, PUMP_PARSE_MAX, &in.amount_fen, why,
					    sizeof why))
		return pump_bad_value(&cmd_pump_visit, "--amount", why);
	if ((a.litres && in.volume_ml == 0) || (a.amount && in.amount_fen == 0))
		return cli_usage(&cmd_pump_visit, a.litres ? "--litres must be above zero"
							   : "--amount must be above zero");
	if (a.pump) {
		if (!pump_parse_decimal(a.pump, 0, 1000000, &pump, why, sizeof why))
			return pump_bad_value(&cmd_pump_visit, "--pump", why);
		in.pump = (int)pump;
	}
	in.card_id = a.card;
	in.grade = a.grade;
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = visit_record(app->db, &app->cfg, &in, &r, &err);
	if (st)
		return cli_fail(st, &err);
	printf("Saved visit %s: pump %d, %s %lld.%03lld L = %lld.%02lld yuan", r.id, in.pump,
	       in.grade, (long long)(r.volume_ml / 1000), (long long)(r.volume_ml % 1000),
	       (long long)(r.amount_fen / 100), (long long)(r.amount_fen % 100));
	if (r.discount_fen)
		printf(" (discount %lld.%02lld)", (long long)(r.discount_fen / 100),
		       (long long)(r.discount_fen % 100));
	if (r.anonymous)
		printf(", anonymous\n");
	else
		printf(", +%lld points, balance %lld%s\n", (long long)r.points_earned,
		       (long long)r.points_balance, r.won_back ? ", WON BACK" : "");
	return 0;
}

const cli_command cmd_pump_visit = {
	.name = "visit",
	.run = cmd_pump_visit_run,
	.usage = "forecourt visit (--card ID | --anonymous) --grade G (--litres L | --amount YUAN) "
		 "[--pump N]",
	.summary = "record a fuelling and the points it earns",
	.help = "Litres (up to 3 decimals) or the amount in yuan (up to 2): the other comes from\n"
		"[fuel] prices minus the approved discount of the customer's tier.  Points =\n"
		"floor(litres x [points] per_litre x the tier's multiplier).  --pump defaults to 1.\n"
		"The visit, points, upload record and audit row are saved together or not at all.\n"
		"Exit 1 for an unknown or blocked card, 2 for bad values (an empty or malformed\n"
		"--card among them: a fuelling without a card is --anonymous).\n",
};

static int cmd_pump_redeem_run(fc_app *app, int argc, char **argv)
{
	pump_args a;
	fc_redeem_result r;
	fc_error err;
	char why[160];
	int64_t points;
	fc_error_clear(&err);
	if (pump_parse_args(argc, argv, &a) < 0)
		return cli_usage(&cmd_pump_redeem, NULL);
	if (a.positional || a.grade || a.litres || a.amount || a.pump || a.anonymous || a.json ||
	    a.name || !a.card || !a.points)
		return cli_usage(&cmd_pump_redeem, !a.card     ? "--card is missing"
						   : !a.points ? "--points is missing"
							       : "redeem takes --card and --points only");
	if (!pump_parse_decimal(a.points, 0, 1000000000, &points, why, sizeof why) || points == 0)
		return cli_usage(&cmd_pump_redeem, "--points: a whole number above zero");
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = redeem_points(app->db, &app->cfg, a.card, points, app->staff_id, &r, &err);
	if (st)
		return cli_fail(st, &err);
	printf("Redeemed %lld points = %lld.%02lld yuan, id %s, balance %lld\n",
	       (long long)r.points, (long long)(r.value_fen / 100), (long long)(r.value_fen % 100),
	       r.id, (long long)r.points_balance);
	return 0;
}

const cli_command cmd_pump_redeem = {
	.name = "redeem",
	.run = cmd_pump_redeem_run,
	.usage = "forecourt redeem --card ID --points P",
	.summary = "spend points ([points] per_yuan points = 1 yuan)",
	.help = "Never below zero.  While offline (last upload older than [points]\n"
		"stale_after_minutes) at most [points] offline_daily_cap points per customer per\n"
		"station-local day.  Each redemption has its own id, so an upload retry can never\n"
		"spend twice.  Exit 1 when refused, with the reason.\n",
};

static int cmd_pump_register_run(fc_app *app, int argc, char **argv)
{
	pump_args a;
	fc_customer_input in = { .staff_id = app->staff_id };
	fc_customer_result r;
	fc_error err;
	fc_error_clear(&err);
	if (pump_parse_args(argc, argv, &a) < 0)
		return cli_usage(&cmd_pump_register, NULL);
	if (a.positional || a.grade || a.litres || a.amount || a.pump || a.anonymous || a.json ||
	    a.points)
		return cli_usage(&cmd_pump_register, "register takes --card --name --nature "
						     "--industry [--phone] [--plate]");
	if (!a.card || !a.name || !a.nature || !a.industry)
		return cli_usage(&cmd_pump_register,
				 "--card, --name, --nature and --industry are required");
	if (!nature_parse(a.nature, &in.nature))
		return cli_usage(&cmd_pump_register, "--nature: big or individual");
	if (!industry_parse(a.industry, &in.industry))
		return cli_usage(&cmd_pump_register, "--industry: passenger, logistics, taxi, "
						     "official, industrial, agri or other");
	in.card_id = a.card;
	in.name = a.name;
	in.phone = a.phone;
	in.plate = a.plate;
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = register_customer(app->db, &app->cfg, &in, &r, &err);
	if (st)
		return cli_fail(st, &err);
	printf("Registered customer %s (potential), record %s\n", r.code, r.id);
	return 0;
}

const cli_command cmd_pump_register = {
	.name = "register",
	.run = cmd_pump_register_run,
	.usage = "forecourt register --card ID --name NAME --nature big|individual --industry I\n"
		"       [--phone P] [--plate P]",
	.summary = "register a new customer for an unknown card",
	.help = "The customer starts as potential, tier ordinary, with a generated customer code\n"
		"STATION-N-II-NNNNNN (nature B/I, industry PT LG TX OF IN AG OT).  INDUSTRY is\n"
		"passenger, logistics, taxi, official, industrial, agri or other.\n",
};
