/* test_study.c — the monthly study's answers: the one check the CLI and the
 * kiosk share (care/study.h) and the loss reasons' keys (base/loss_reason.h). */
#include "testutil.h"

#include <string.h>

#include "base/loss_reason.h"
#include "care/study.h"

static fc_status check(const char *reason, const char *text, const char *measures,
		       study_field *bad, fc_error *err)
{
	study_answers a = { .value = { [STUDY_LOSS_REASON] = reason,
				       [STUDY_LOSS_REASON_TEXT] = text,
				       [STUDY_MEASURES] = measures } };
	return study_check(&a, bad, err);
}

static void reasons_parse_by_key(void **state)
{
	(void)state;
	fc_loss_reason r = LOSS_REASON_PRICE;
	for (int k = 0; k < LOSS_REASON_COUNT; k++) {
		assert_true(loss_reason_parse(loss_reason_key((fc_loss_reason)k), &r));
		assert_int_equal(r, k);
	}
	assert_false(loss_reason_parse("Price", &r));
	assert_false(loss_reason_parse(NULL, &r));
	assert_string_equal(loss_reason_key(LOSS_REASON_COMPETITOR_OFFER), "competitor_offer");
	assert_string_equal(loss_reason_key(LOSS_REASON_COUNT), "?");
	/* subjective: what we or the competitor do; objective: the customer's
	 * circumstances; other: unclassified */
	static const char *const kind_of[LOSS_REASON_COUNT] = {
		[LOSS_REASON_PRICE] = "subjective", [LOSS_REASON_SERVICE] = "subjective",
		[LOSS_REASON_COMPETITOR_OFFER] = "subjective", [LOSS_REASON_DISTANCE] = "objective",
		[LOSS_REASON_VEHICLE_SOLD] = "objective", [LOSS_REASON_BUSINESS_CLOSED] = "objective",
		[LOSS_REASON_OTHER] = "unclassified",
	};
	for (int k = 0; k < LOSS_REASON_COUNT; k++)
		assert_string_equal(loss_reason_kind_key(loss_reason_kind((fc_loss_reason)k)), kind_of[k]);
	assert_int_equal(loss_reason_kind(LOSS_REASON_COUNT), LOSS_KIND_UNCLASSIFIED);
	assert_string_equal(loss_reason_kind_key(LOSS_KIND_COUNT), "?");
}

static void check_names_the_field(void **state)
{
	(void)state;
	fc_error err;
	study_field bad = STUDY_FIELD_COUNT;
	assert_int_equal(study_check(NULL, &bad, &err), FC_OK);
	assert_int_equal(check(NULL, NULL, NULL, &bad, &err), FC_OK);
	assert_int_equal(check("price", NULL, "called", &bad, &err), FC_OK);
	assert_int_equal(check("other", "moved away", NULL, &bad, &err), FC_OK);
	assert_int_equal(check(NULL, NULL, "offered a discount", &bad, &err), FC_OK);

	assert_int_equal(check("cheap", NULL, NULL, &bad, &err), FC_ERR_INVALID);
	assert_int_equal(bad, STUDY_LOSS_REASON);
	assert_non_null(strstr(fc_error_text(&err), "loss-reason: 'cheap' is not a reason (price,"));
	assert_int_equal(check("other", NULL, NULL, &bad, &err), FC_ERR_INVALID);
	assert_int_equal(bad, STUDY_LOSS_REASON_TEXT);
	assert_non_null(strstr(fc_error_text(&err), "loss-reason-text: say what the other reason is"));
	assert_int_equal(check(NULL, "a detail", NULL, &bad, &err), FC_ERR_INVALID);
	assert_int_equal(bad, STUDY_LOSS_REASON);
	assert_int_equal(check("price", NULL, "a\tb", &bad, &err), FC_ERR_INVALID);
	assert_int_equal(bad, STUDY_MEASURES);
	assert_non_null(strstr(fc_error_text(&err), "measures"));
	assert_int_equal(check("price", "   ", NULL, &bad, &err), FC_ERR_INVALID);
	assert_int_equal(bad, STUDY_LOSS_REASON_TEXT);
	char big[STUDY_TEXT_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(check("price", NULL, big, &bad, &err), FC_ERR_INVALID);
	assert_int_equal(bad, STUDY_MEASURES);
	assert_non_null(strstr(fc_error_text(&err), "measures: at most 2000 bytes"));
	study_answers empty = { .value = { "", "" } };
	assert_true(study_is_empty(&empty));
	assert_true(study_is_empty(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reasons_parse_by_key),
		cmocka_unit_test(check_names_the_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
