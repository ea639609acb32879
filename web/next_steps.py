"""What to do after a refusal: the second half of a refusal's sentence.

``web/messages.py`` says what was wrong; where its sentence stops there, the step that puts it
right is here, appended to it, so no refusal leaves a person at a dead end
(``tests/web/test_refusal_next_steps.py`` enumerates every code and variant).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

# by code, or by (code, variant) for a variant's own sentence
NEXT_STEPS: dict[str | tuple[str, str], Any] = {
    "account_already_active": _l("Nothing needs doing: reload the accounts page to see it."),
    "account_not_active": _l("Reactivate the account first, or choose an active one."),
    "agreement_declined": _l("Propose a new partnership if both sides still want one."),
    "agreement_not_in_force": _l(
        "Choose an agreement in force, or wait until this one is countersigned and has started."
    ),
    "agreement_terminated": _l("Propose a new partnership if the cooperation goes on."),
    "already_certified": _l("Nothing needs doing; reload the page to see the certification."),
    "already_chartered": _l("Reload the page to see the group as it is."),
    "already_lead": _l("Choose another technician college member to hand the lead to."),
    "already_member": _l("Choose an organisation that is not a member yet."),
    "already_operating": _l("Reload the page to see the group as it is."),
    "already_registered": _l("Look the record up in its list instead of registering it again."),
    "amendment_pending": _l(
        "Answer or withdraw the pending amendment on the agreement's page first."
    ),
    "charter_requirements_unmet": _l("Admit the missing members first, then charter the group."),
    "date_outside_period": _l("Choose a date within the agreement's period."),
    "deadline_before_year_end": _l("Choose a deadline after 31 December of that year."),
    "domain_error": _l(
        "Check what you entered and send the form again; if it is refused again, ask a "
        "province administrator."
    ),
    "field_not_correctable": _l(
        "Choose one of the facts the form offers, or use the page's own step for this change."
    ),
    "figure_negative": _l("Enter zero or a positive number."),
    "first_school_year": _l(
        "Choose a cognitive internship instead, or register the post internship from the "
        "second school year."
    ),
    "group_dissolved": _l("Propose a new group if the cooperation goes on."),
    ("id_number_invalid", "character"): _l("Copy the number again from the ID card."),
    ("id_number_invalid", "check_character"): _l(
        "Compare the number with the ID card digit by digit."
    ),
    ("id_number_invalid", "length"): _l("Copy the number again from the ID card."),
    "id_number_registered": _l(
        "Find the student in the school's list instead of registering them again."
    ),
    "intermediary_refused": _l(
        "Arrange the placement directly with the enterprise under a cooperation agreement."
    ),
    "invalid_transition": _l(
        "Reload the page to see the record's current state and the steps it offers."
    ),
    "invalid_value": _l("Correct it and send the form again."),
    ("invalid_value", "before_suspension"): _l("Choose the day of the suspension or a later one."),
    ("invalid_value", "format"): _l("Type another username in that form."),
    ("invalid_value", "out_of_range"): _l("Enter a value within the range the field's hint gives."),
    ("invalid_value", "too_long"): _l("Shorten it."),
    "lead_not_technician_college": _l("Choose a technician college member."),
    "major_already_open": _l("Choose another name, or leave the major as it is."),
    "major_not_open": _l("Choose one of the school's open majors."),
    "mode_unknown": _l("Tick modes from the list."),
    "no_amendment_pending": _l("Reload the page to see the agreement as it is."),
    "no_return_for_year": _l("Choose a year from the school's establishment on."),
    "no_teacher_practice_station": _l(
        "Choose an agreement with that mode, or amend this one to add it."
    ),
    "not_a_member": _l("Choose one of the group's members."),
    "not_an_upgrade": _l("Choose a higher tier than the school's present one."),
    "not_certified": _l("Reload the page to see the enterprise as it is."),
    "not_found": _l("Go back to the list and open the record from there."),
    "nothing_to_correct": _l("Change the figures that were wrong, or leave the return as it is."),
    "placement_already_on_policy": _l("Choose another placement or another policy."),
    "placement_not_on_policy": _l("Choose a placement that is on the policy."),
    "placement_outside_agreement": _l(
        "Change the placement's dates, or choose an agreement active then."
    ),
    "policy_cancelled": _l("Register a new policy and put the placements on it."),
    "practice_outside_agreement": _l("Change the dates, or choose an agreement active then."),
    "practice_overlaps": _l("Change the dates so that the periods do not overlap."),
    "school_withdrawn": _l("Choose a school still in the registry."),
    "senior_exceeds_students": _l("Check both figures."),
    "staff_number_invalid": _l("Type the staff number as the school's records give it."),
    "student_forgotten": _l("Register the student again if they come back."),
    "student_not_at_agreement_school": _l("Choose an agreement signed by the student's school."),
    "student_under_16": _l(
        "Choose a cognitive internship instead, or register the post internship once the "
        "student is 16."
    ),
    "wrong_party": _l("Ask the other party to do it, or wait for their answer."),
    "year_not_over": _l("File it after 31 December of that year."),
}
