/* cmd_customer.c — `forecourt customer search|show|edit|register|owner`: the
 * CLI twin of the archive screen (edits need a station head's PIN). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_auth.h"
#include "cli/commands.h"
#include "customers/archive.h"
#include "customers/search.h"

#define EDITS_MAX 22

static int customer_search(fc_app *app, const char *text, bool competitors)
{
	search_result r;
	fc_error err;
	fc_status st = competitors ? search_competitors(app->db, text, &r, &err)
				   : search_customers(app->db, text, &r, &err);
	if (st)
		return cli_fail(st, &err);
	for (int i = 0; i < r.count; i++) {
		const search_hit *h = &r.hits[i];
		char rival[96] = "";
		if (h->competitor)
			snprintf(rival, sizeof rival, " competitor:%s",
				 h->competitor_name[0] ? h->competitor_name : "?");
		printf("%-16s %-20s %-13s %-10s %-10s %-8s %s%s\n", h->code, h->name, h->phone,
		       h->plate, h->nature, h->tier, h->stability, rival);
	}
	printf("%d found%s\n", r.count,
	       r.partial ? " (search stopped early: type 3 or more characters to find all)"
	       : r.count == SEARCH_PAGE ? " (first page)" : "");
	return 0;
}

static int customer_show(fc_app *app, const char *code)
{
	archive_card card;
	fc_error err;
	fc_status st = archive_show(app->db, code, &card, &err);
	if (st)
		return cli_fail(st, &err);
	const char *nature = "", *industry = "", *tier = "", *provisional = "", *rival = "",
		   *rival_name = "";
	for (size_t i = 0; i < card.count; i++) {
		const archive_value *v = &card.values[i];
		const char **slot = strcmp(v->field, "nature") == 0 ? &nature
				    : strcmp(v->field, "industry") == 0 ? &industry
				    : strcmp(v->field, "tier") == 0 ? &tier
				    : strcmp(v->field, "tier_provisional") == 0 ? &provisional
				    : strcmp(v->field, "competitor") == 0 ? &rival
				    : strcmp(v->field, "competitor_name") == 0 ? &rival_name : NULL;
		if (slot)
			*slot = v->value;
	}
	/* the code keeps the letters it was made with (README "Customer codes") */
	printf("customer %s: now %s, %s (the code keeps the classes it was made with)\n",
	       card.code, nature, industry);
	printf("tier %s%s\n", tier, strcmp(provisional, "1") == 0
					  ? " (provisional: from the declared yearly demand)" : "");
	if (strcmp(rival, "1") == 0)
		printf("competitor customer: buys from %s\n", rival_name[0] ? rival_name : "(not noted)");
	for (size_t i = 0; i < card.count; i++)
		printf("%-18s %s\n", card.values[i].field, card.values[i].value);
	return 0;
}

/* FIELD=VALUE arguments into edits (pointing into args). */
static int split_edits(char **args, int n, archive_edit *edits)
{
	for (int i = 0; i < n; i++) {
		char *eq = strchr(args[i], '=');
		if (!eq) {
			fprintf(stderr, "forecourt customer: '%s': expected FIELD=VALUE\n", args[i]);
			return -1;
		}
		*eq = '\0';
		edits[i].field = args[i];
		edits[i].value = eq + 1;
	}
	return n;
}

static int cmd_customer_run(fc_app *app, int argc, char **argv)
{
	const char *as = NULL, *reason = NULL;
	const cli_option opts[] = { { "as", &as, "edit register owner" },
				    { "reason", &reason, "owner" } };
	char *pos[EDITS_MAX + 3];
	int npos = cli_parse_options(argc, argv, opts, 2, pos, EDITS_MAX + 3);
	const char *verb = argc > 1 ? argv[1] : "";
	bool rivals = strcmp(verb, "competitors") == 0;
	bool search = strcmp(verb, "search") == 0, show = strcmp(verb, "show") == 0,
	     edit = strcmp(verb, "edit") == 0, reg = strcmp(verb, "register") == 0,
	     owner = strcmp(verb, "owner") == 0;
	if (npos < 0 ||
	    !((search && npos == 1) || (rivals && npos <= 1) || (show && npos == 1) ||
	      (edit && npos >= 2 && as) ||
	      (reg && npos >= 3 && as) || (owner && npos == 2 && as)))
		return cli_usage(&cmd_customer, NULL);
	long long owner_staff = 0;
	char why[CLI_WHY_LEN];
	if (owner && !cli_parse_int("STAFF (the id of `forecourt staff list` at the home station)",
				    pos[1], 1, 1LL << 62, &owner_staff, why))
		return cli_usage(&cmd_customer, why);
	fc_nature nature = NATURE_INDIVIDUAL;
	fc_industry industry = INDUSTRY_OTHER;
	if (reg && (!nature_parse(pos[1], &nature) || !industry_parse(pos[2], &industry))) {
		fprintf(stderr, "forecourt customer register: NATURE is big or individual, INDUSTRY "
				"one of passenger, logistics, taxi, official, industrial, agri, other\n");
		return 2;
	}
	archive_edit edits[EDITS_MAX + 1];
	int first = reg ? 3 : 1, nedits = 0;
	if ((edit || reg) && (nedits = split_edits(pos + first, npos - first, edits)) < 0)
		return 2;
	fc_error err;
	fc_error_clear(&err);
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
	if (search || rivals)
		return customer_search(app, npos ? pos[0] : "", rivals);
	if (show)
		return customer_show(app, pos[0]);
	fc_staff who;
	int rc = cli_auth_login_as(app, as, ROLE_HEAD, &who);
	if (rc)
		return rc;
	if (owner) {
		char home[32];
		st = archive_propose_owner(app->db, &app->cfg, who.id, pos[0], owner_staff, reason,
					   home, &err);
		if (st)
			return cli_fail(st, &err);
		printf("owner of %s proposed: staff %lld at %s; head office applies it when that "
		       "member is active there\n", pos[0], owner_staff, home);
		return 0;
	}
	if (edit) {
		int changed = 0;
		st = archive_update(app->db, &app->cfg, who.id, pos[0], edits, (size_t)nedits,
				    &changed, &err);
		if (st)
			return cli_fail(st, &err);
		printf("saved: %d field%s changed\n", changed, changed == 1 ? "" : "s");
		return 0;
	}
	char code[32];
	st = archive_register(app->db, &app->cfg, who.id, pos[0], nature, industry, edits,
			      (size_t)nedits, code, &err);
	if (st)
		return cli_fail(st, &err);
	printf("registered %s\n", code);
	return 0;
}

const cli_command cmd_customer = {
	.name = "customer",
	.run = cmd_customer_run,
	.usage = "forecourt customer search TEXT | competitors [TEXT] | show CODE |\n"
		"       forecourt customer edit CODE FIELD=VALUE... --as HEAD |\n"
		"       forecourt customer register NAME NATURE INDUSTRY [FIELD=VALUE...] --as HEAD |\n"
		"       forecourt customer owner CODE STAFF [--reason TEXT] --as HEAD",
	.summary = "the customer archive: search, view, edit, register",
	.help = "search    any part of a name, phone, plate or code (Chinese too); first page\n"
		"competitors  the competitor customers (competitor=1), those whose competitor,\n"
		"          name or code holds TEXT when given\n"
		"show      the nature and industry now beside the code (the code keeps the\n"
		"          classes it was made with), the tier (provisional: from the declared\n"
		"          yearly demand), then every archive field, classes, tier and its\n"
		"          source, composite class and quarter, ratings with who and when\n"
		"edit      FIELD is name, contact, phone, address, plate, fuel_grades,\n"
		"          yearly_litres, refuel_cycle_days, other_channels, potential_needs,\n"
		"          person_in_charge, handler, special_needs, industry, competitor (1 buys\n"
		"          from a competitor, 0 not), competitor_name (whose: needed with\n"
		"          competitor=1, refused with 0), birthday, anniversary\n"
		"          (MM-DD or YYYY-MM-DD: a care callback is due the week before),\n"
		"          rating_scale, rating_credit, rating_influence (0-100, the head's\n"
		"          judgement for the composite class; FIELD= goes back to the stand-in)\n"
		"          (nature follows the cards); FIELD= clears it.  Each change goes to\n"
		"          head office (who, old, new); a rating re-evaluates the class at once.\n"
		"register  a potential customer; the code is STATION-N-II-NNNNNN, e.g.\n"
		"          S0001-B-LG-000042 (B big, I individual; PT passenger, LG logistics,\n"
		"          TX taxi, OF official, IN industrial, AG agri, OT other)\n"
		"owner     propose the customer's named owner 定人维护: STAFF is the member's\n"
		"          id (`forecourt staff list` at the customer's home station, which must\n"
		"          be an active member when that is this station).  Head office applies\n"
		"          it when the member is active there; the card shows it after a sync.\n"
		"The PIN of --as is read like for `staff`.\n",
};
