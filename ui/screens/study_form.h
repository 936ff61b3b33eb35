/* study_form.h — the monthly study's block of fields (loss reason, detail,
 * where the customer buys now, the competitor's offer, measures, who is
 * responsible) on the callback and visit report forms (care/study.h). */
#ifndef FC_UI_STUDY_FORM_H
#define FC_UI_STUDY_FORM_H

#include <stdbool.h>

#include "care/study.h"
#include "ui/screens/care.h"

/* Add the block's STUDY_FIELD_COUNT fields to f, in study_field order (the
 * reason a choice nobody picked yet, Backspace clears it; the rest
 * optional text); returns the index of the first. */
int study_form_add(care_form *f);

/* The answers typed into the block starting at field first (borrowed from
 * the form: valid while it lives). */
void study_form_answers(const care_form *f, int first, study_answers *out);

/* The block's rules before saving (study_check): false with the refusal in
 * p->message naming the field in the user's language and the focus there. */
bool study_form_check(care_form_page *p, int first);

#endif
