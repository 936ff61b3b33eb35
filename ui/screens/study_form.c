/* study_form.c — the monthly study's fields shared by the callback and
 * visit report forms, checked by the core's study_check. */
#include "ui/screens/study_form.h"

#include <stdio.h>

#include "ui/core/i18n.h"

/* The examples shown in grey while a field is empty, by study_field. */
static const char *const examples[STUDY_FIELD_COUNT] = {
	NULL,
	N_("why, in a few words (needed for \"other reason\")"),
	N_("e.g. the PetroChina station on Route 5"),
	N_("e.g. 0.30 yuan/L off, free car wash"),
	N_("e.g. offered the gold tier price for 3 months"),
	N_("who follows it up, e.g. Wang Li"),
};

int study_form_add(care_form *f)
{
	const char *reasons[LOSS_REASON_COUNT];
	for (int k = 0; k < LOSS_REASON_COUNT; k++)
		reasons[k] = loss_reason_label((fc_loss_reason)k);
	int first = care_form_add_choice(f, study_field_label(STUDY_LOSS_REASON), reasons,
					 LOSS_REASON_COUNT, -1);
	for (int i = STUDY_LOSS_REASON_TEXT; i < STUDY_FIELD_COUNT; i++)
		care_form_example(f, care_form_add_text(f, study_field_label((study_field)i),
							FIELD_TEXT, 60, false),
				  examples[i]);
	return first;
}

void study_form_answers(const care_form *f, int first, study_answers *out)
{
	int choice = f->fields[first + STUDY_LOSS_REASON].choice;
	out->value[STUDY_LOSS_REASON] =
		choice >= 0 && choice < LOSS_REASON_COUNT ? loss_reason_key((fc_loss_reason)choice)
							  : NULL;
	for (int i = STUDY_LOSS_REASON_TEXT; i < STUDY_FIELD_COUNT; i++)
		out->value[i] = care_form_text(f, first + i);
}

bool study_form_check(care_form_page *p, int first)
{
	study_answers a;
	study_field bad = STUDY_LOSS_REASON;
	fc_error err;
	fc_error_clear(&err);
	study_form_answers(&p->form, first, &a);
	if (study_check(&a, &bad, &err) == FC_OK)
		return true;
	const char *label = _(study_field_label(bad));
	if (bad == STUDY_LOSS_REASON_TEXT)
		snprintf(p->message, sizeof p->message,
			 _("Not saved: %s: say what the other reason is"), label);
	else if (bad == STUDY_LOSS_REASON)
		snprintf(p->message, sizeof p->message,
			 _("Not saved: %s: choose a reason for the detail given (keys 1-%d)"), label,
			 LOSS_REASON_COUNT);
	else
		snprintf(p->message, sizeof p->message, _("Not saved: %s: %s"), label,
			 fc_error_text(&err));
	care_form_flag(&p->form, first + bad);
	return false;
}
