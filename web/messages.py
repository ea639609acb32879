"""Refusals as sentences in the reader's language: the one place codes become words.

The domain raises a stable ``code`` with parameters; this module says, in the page's
language, what was wrong and how to put it right. Where a code has variants (``reason`` or
``problem``) each variant has its own sentence. ``fields_of`` says which form field a refusal
belongs beside, so the sentence appears next to what needs fixing.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from domain.errors import DomainError
from web.next_steps import NEXT_STEPS

Sentence = Any  # a lazy translation, rendered in the request's language

SENTENCES: dict[str, Sentence] = {
    "domain_error": _l("The registry refused this change."),
    "replay_impossible": _l(
        "The read models cannot be replayed at this position; leave the position empty to "
        "compare them as they stand now."
    ),
    "invalid_value": _l("The value given for %(label)s cannot be used; please check it."),
    "prefecture_unknown": _l(
        "%(prefecture)s is not one of Sichuan's 21 prefectures; choose one from the list."
    ),
    "end_before_start": _l(
        "The end date %(ends_on)s is before the start date %(starts_on)s; "
        "choose an end date on or after the start."
    ),
    "amount_not_positive": _l("Enter an amount in yuan greater than zero."),
    "not_permitted": _l(
        "Your account's role may not do this. Ask a province administrator if you need it."
    ),
    "invalid_transition": _l("This step does not apply to the record in its current state."),
    "field_not_correctable": _l("This field cannot be corrected this way."),
    "modes_empty": _l("Tick at least one mode of cooperation."),
    "mode_unknown": _l("%(mode)s is not a mode of cooperation the registry knows."),
    "wrong_party": _l(
        "This step belongs to the other party of the agreement, not to your organisation."
    ),
    "already_countersigned": _l(
        "The agreement has been answered already, so it cannot be countersigned or declined "
        "again. Reload the page to see its current state."
    ),
    "agreement_terminated": _l(
        "The agreement was terminated on %(terminated_on)s and accepts no further changes."
    ),
    "agreement_declined": _l("The proposal was declined and accepts no further changes."),
    "proposal_withdrawn": _l(
        "The proposal was withdrawn by the party that made it and accepts no further "
        "changes. To cooperate after all, propose the agreement again."
    ),
    "not_renewable": _l(
        "Only an agreement that was countersigned and not terminated early can be renewed; "
        "this one is not. Propose a new agreement instead."
    ),
    "agreement_not_in_force": _l(
        "This step needs a countersigned agreement that is in force; this one is %(status)s."
    ),
    "amendment_pending": _l(
        "An amendment is already waiting for an answer; it must be accepted, declined or "
        "withdrawn before another is proposed."
    ),
    "no_amendment_pending": _l("There is no amendment waiting for an answer."),
    "major_unknown": _l(
        "The school runs no open major called %(major)s; choose from the school's majors."
    ),
    "date_outside_period": _l(
        "%(date)s is outside the agreement's period (%(starts_on)s to %(ends_on)s)."
    ),
    "already_certified": _l("The enterprise has been certified already, on %(certified_on)s."),
    "not_certified": _l("The enterprise holds no certification to withdraw."),
    "school_withdrawn": _l(
        "The school has withdrawn from the registry and enters no new agreements."
    ),
    "not_an_upgrade": _l("An upgrade must move the school to a higher tier."),
    "major_already_open": _l("The school already runs an open major called %(major)s."),
    "major_not_open": _l("The school runs no open major called %(major)s."),
    "account_not_active": _l("The account %(username)s is not active."),
    "account_not_requested": _l(
        "The account %(username)s is not a request awaiting an answer any more; reload the page."
    ),
    "account_already_active": _l("The account %(username)s is active already."),
    "not_found": _l("No such record: it may have been removed, or the address is mistyped."),
    "already_registered": _l("A record with this key is registered already."),
    "conflicting_change": _l(
        "Someone else changed this record while you were working on it. Nothing of yours "
        "was saved and nothing you typed is lost: reload the page to see their change, then "
        "submit again."
    ),
    "agreement_allows_no_placements": _l(
        "This agreement has no mode under which students can be placed (internship base, "
        "training base in the enterprise, apprenticeship or order class); amend it first."
    ),
    "agreement_of_another_school": _l(
        "That agreement belongs to another school; choose one of this school's agreements."
    ),
    "already_chartered": _l("The group was chartered already, on %(chartered_on)s."),
    "already_lead": _l("That school leads the group already."),
    "already_member": _l(
        "That organisation is a member of the group already (since %(joined_on)s)."
    ),
    "already_operating": _l("The group has been operating since %(operating_from)s."),
    "charter_requirements_unmet": _l(
        "The group cannot be chartered on %(on)s yet: it still needs %(schools_missing)s "
        "more school(s) and %(enterprises_missing)s enterprise(s) as members."
    ),
    "cover_missing": _l(
        "The placement cannot start on %(on)s: this insurance is not in force for it that "
        "day: %(kinds)s. Add the placement to a policy of each kind, then start it."
    ),
    "date_before_step": _l(
        "%(date)s is before an earlier step of this record; choose a later date."
    ),
    "deadline_before_year_end": _l(
        "The deadline for %(year)s returns, %(due_on)s, must be after the end of that year."
    ),
    "employed_exceeds_graduates": _l(
        "Graduates employed at first destination (%(employed)s) cannot be more than "
        "graduates (%(graduates)s); check both figures."
    ),
    "erasure_residue": _l(
        "An erased student's data could not be confirmed gone; the erasure has been "
        "stopped. Ask the system's operator to check the key store."
    ),
    "figure_negative": _l("%(label)s cannot be negative."),
    "first_school_year": _l(
        "No post internship for a student in the first school year (this student is in "
        "year %(school_year)s on %(on)s)."
    ),
    "group_dissolved": _l("The group has been dissolved and accepts no further changes."),
    "group_not_chartered": _l("This step needs a chartered group; charter it first."),
    "id_number_registered": _l("A student with this ID number is registered already."),
    "intermediary_refused": _l(
        "A placement arranged through an intermediary agency (%(intermediary)s) is not "
        "allowed. The attempt has been recorded."
    ),
    "lead_cannot_leave": _l(
        "The lead college cannot leave the group; hand the lead to another technician "
        "college member first."
    ),
    "lead_not_technician_college": _l("Only a technician college can lead a training group."),
    "no_return_for_year": _l(
        "The school did not exist in %(year)s, so it has no return for that year."
    ),
    "no_teacher_practice_station": _l(
        "That agreement has no teacher practice station mode, so practice cannot be "
        "logged under it."
    ),
    "not_a_member": _l("That organisation is not a member of the group."),
    "nothing_to_correct": _l(
        "The corrected figures are the same as those recorded; nothing to correct."
    ),
    "personal_data_in_text": _l(
        "Do not write the student's name, ID number or birth date here; describe the "
        "reason without them."
    ),
    "personal_data_damaged": _l(
        "This personal data cannot be decrypted (damaged): its stored form no longer matches "
        "the student's key. Nothing was shown. Tell the province administrator, who can "
        "restore it from a backup."
    ),
    "placement_already_on_policy": _l("The placement is on this policy already."),
    "placement_not_on_policy": _l("The placement is not on this policy."),
    "placement_of_another_party": _l(
        "A policy covers only placements of its holder: this placement's school and "
        "enterprise both differ from the policy's holder. Choose a placement of the holder, "
        "or a policy held by the placement's school or enterprise."
    ),
    "placement_of_holders_own": _l(
        "This placement belongs to the policy's holder, so its link is no cross-party link "
        "to correct; to end its cover, take it off the policy."
    ),
    "placement_outside_agreement": _l(
        "The placement (%(starts_on)s to %(ends_on)s) must fall while the agreement is "
        "active (%(agreement_starts_on)s to %(agreement_ends_on)s, countersigned and not "
        "suspended)."
    ),
    "policy_cancelled": _l(
        "The policy was cancelled from %(cancelled_on)s and accepts no further changes."
    ),
    "post_internship_over_six_months": _l(
        "A post internship lasts at most 6 months: it may end on %(limit)s at the latest, "
        "not %(ends_on)s. Shorten it, or record the reason for an exception."
    ),
    "practice_outside_agreement": _l(
        "The practice period %(starts_on)s to %(ends_on)s must fall within the "
        "agreement's active dates: %(active)s."
    ),
    "practice_overlaps": _l(
        "This period overlaps the teacher's practice from %(other_starts_on)s to %(other_ends_on)s."
    ),
    "return_already_filed": _l(
        "The school's return for this year has been filed already; file a correction with "
        "a reason instead."
    ),
    "senior_exceeds_students": _l(
        "Students in senior-class and above (%(senior_students)s) cannot be more than "
        "students enrolled (total) (%(students)s); check both figures."
    ),
    "staff_number_invalid": _l("%(staff_number)s is not a valid staff number."),
    "student_number_invalid": _l(
        "%(student_number)s is not a student number: use 1 to 32 letters, digits, dots, "
        "dashes or underscores, as the school numbers its students (never a name)."
    ),
    "student_number_taken": _l(
        "Another student of the school holds the student number %(student_number)s; check "
        "the number, or find that student by this number on the students list."
    ),
    "student_forgotten": _l(
        "This student's personal data has been erased; the record takes no further changes."
    ),
    "student_not_at_agreement_school": _l(
        "The student is not at the school that signed this agreement."
    ),
    "student_under_16": _l(
        "No post internship for a student under 16: this student is %(age)s on %(on)s."
    ),
    "tripartite_agreement_missing": _l(
        "Record the tripartite agreement (school, enterprise and student) before the post "
        "internship starts."
    ),
    "year_not_over": _l("The %(year)s return can be filed once that year is over."),
    "password_incorrect": _l("The current password is not right; type it again."),
    "reset_link_invalid": _l(
        "This password link has been used already or has expired. Ask a province "
        "administrator for a new one."
    ),
}

VARIANTS: dict[tuple[str, str], Sentence] = {
    ("replay_impossible", "no_read_models"): _l(
        "There are no read models to compare yet; open any list page first, then replay."
    ),
    ("replay_impossible", "outdated"): _l(
        "The read models in use were built by another version of the registry; they are "
        "rebuilt at its next start. Open any list page, then replay."
    ),
    ("replay_impossible", "ahead"): _l(
        "The read models stand at position %(reached)s, before %(position)s; enter a "
        "position up to %(reached)s, or leave it empty."
    ),
    ("replay_impossible", "negative"): _l("Enter a position of 0 or more."),
    ("not_proposed_by_you", "proposal"): _l(
        "Only the party that proposed the agreement may withdraw it; answer it by "
        "countersigning or declining."
    ),
    ("not_proposed_by_you", "amendment"): _l(
        "Only the party that proposed the amendment may withdraw it; answer it by accepting "
        "or declining."
    ),
    ("not_renewable", "other_parties"): _l(
        "A renewal continues an agreement between the same school and enterprise; the "
        "agreement named is between other parties. Propose a new agreement instead."
    ),
    ("uscc_invalid", "length"): _l(
        "A unified social credit code has 18 characters; this one has %(length)s. "
        "Copy it again from the business licence."
    ),
    ("uscc_invalid", "lowercase"): _l(
        "Character %(position)s, %(character)s, is a small letter: the code uses capital "
        "letters only. Type it in capitals."
    ),
    ("uscc_invalid", "character"): _l(
        "Character %(position)s, %(character)s, never occurs in a unified social credit code "
        "(the letters I, O, S, V and Z are not used). Check that character."
    ),
    ("uscc_invalid", "check_character"): _l(
        "The last character is a check character: for the first 17 characters as typed it "
        "must be %(expected)s, not %(found)s. One of the characters was probably mistyped; "
        "compare the code with the business licence character by character."
    ),
    ("id_number_invalid", "length"): _l("An ID number has 18 characters; this one has %(length)s."),
    ("id_number_invalid", "character"): _l(
        "Character %(position)s, %(character)s, cannot be in an ID number (digits only, "
        "and X as the last character)."
    ),
    ("id_number_invalid", "birth_date"): _l(
        "Digits 7 to 14, %(digits)s, are not a real birth date; check the number."
    ),
    ("id_number_invalid", "birth_date_in_future"): _l(
        "The birth date in this number, %(birth_date)s, is in the future; check the number."
    ),
    ("id_number_invalid", "check_character"): _l(
        "The last character is a check character: for the first 17 digits as typed it "
        "must be %(expected)s, not %(found)s. A digit was probably mistyped."
    ),
    ("invalid_value", "required"): _l("Fill in %(label)s."),
    ("invalid_value", "too_long"): _l("%(label)s is too long: at most %(max_length)s characters."),
    ("invalid_value", "unknown"): _l("Choose %(label)s from the list."),
    ("invalid_value", "format"): _l(
        "A username is 3 to 32 characters: small letters, digits, dots, dashes or "
        "underscores, beginning with a letter (for example li.ming)."
    ),
    ("invalid_value", "out_of_range"): _l("%(label)s is out of the allowed range."),
    ("invalid_value", "hidden_characters"): _l(
        "%(label)s contains characters that cannot be seen or that reorder the text "
        "(%(characters)s); delete them and type it again."
    ),
    ("invalid_value", "outside_policy_period"): _l(
        "Cover on this policy can begin only while the policy is in force (%(periods)s); "
        "%(value)s is outside it. Choose a day within that period, or put the placement on "
        "a policy in force that day."
    ),
    ("not_permitted", "other_party"): _l(
        "This record belongs to another organisation: only its own users, or a province "
        "administrator, may do this. Ask that organisation to do it, or choose one of your "
        "own records."
    ),
    ("not_permitted", "policy_of_the_enterprise"): _l(
        "This policy is held by the placement's enterprise, and only the holder (or a "
        "province administrator) puts placements on a policy. Ask the enterprise to add the "
        "placement from its policy's page, or put it on a policy your organisation holds."
    ),
    ("not_permitted", "policy_of_the_school"): _l(
        "This policy is held by the placement's school, and only the holder (or a province "
        "administrator) puts placements on a policy. Ask the school to add the placement "
        "from its policy's page, or put it on a policy your organisation holds."
    ),
    ("not_permitted", "not_policy_holder"): _l(
        "Only the policy's holder, or a province administrator, may change this policy. Ask "
        "the holder to do it, or use a policy your organisation holds."
    ),
    ("invalid_value", "before_suspension"): _l(
        "The agreement cannot resume before the day it was suspended."
    ),
    ("password_too_weak", "too_short"): _l(
        "Use at least %(min_length)s characters; a short sentence is easy to remember."
    ),
    ("password_too_weak", "too_long"): _l("Use at most %(max_length)s characters."),
    ("password_too_weak", "same_as_username"): _l(
        "The password must not be the username; choose something else."
    ),
    ("account_binding_invalid", "party"): _l(
        "This role acts for one school, enterprise or group: choose which."
    ),
    ("account_binding_invalid", "prefecture"): _l(
        "A prefecture officer sees one prefecture: choose which, and no organisation."
    ),
    ("account_binding_invalid", "nothing"): _l(
        "This role is not bound to an organisation or a prefecture: leave both empty."
    ),
}

# Where a refusal is shown on a form when its parameters do not name the field: the first of
# these fields the form has.
SHOWN_BESIDE: dict[str, str | tuple[str, ...]] = {
    "replay_impossible": "position",
    "uscc_invalid": "uscc",
    "end_before_start": "ends_on",
    "modes_empty": "modes",
    "mode_unknown": "modes",
    "major_unknown": "majors",
    "password_too_weak": "password",
    "password_incorrect": "current",
    "prefecture_unknown": "prefecture",
    "id_number_invalid": "id_number",
    "id_number_registered": "id_number",
    "employed_exceeds_graduates": "employed",
    "senior_exceeds_students": "senior_students",
    "post_internship_over_six_months": "ends_on",
    "personal_data_in_text": "reason",
    "account_binding_invalid": "party",
    "already_registered": "uscc",
    "major_already_open": "name",
    "major_not_open": "name",
    "date_outside_period": ("on", "invested_on"),
    "deadline_before_year_end": "due_on",
    "year_not_over": "year",
    "no_return_for_year": "year",
    "staff_number_invalid": "staff_number",
    "student_number_invalid": "student_number",
    "student_number_taken": "student_number",
    "cover_missing": "on",
    "placement_outside_agreement": ("starts_on", "on"),
    "practice_outside_agreement": "starts_on",
    "practice_overlaps": "starts_on",
    "student_under_16": "student",
    "first_school_year": "student",
    "student_not_at_agreement_school": "student",
    "agreement_allows_no_placements": "agreement",
    "no_teacher_practice_station": "agreement",
    "agreement_of_another_school": "agreement",
    "lead_not_technician_college": ("to", "party"),
    "already_member": "party",
    "not_a_member": ("party", "to"),
    "placement_already_on_policy": ("placements", "policy"),
    "placement_not_on_policy": "placements",
    "placement_of_another_party": ("placements", "policy"),
    "placement_of_holders_own": "placements",
    "charter_requirements_unmet": "on",
    "date_before_step": "on",
}

LABELS: dict[str, Sentence] = {
    "title": _l("the title"),
    "name": _l("the name"),
    "username": _l("the username"),
    "display_name": _l("your name"),
    "organisation": _l("the organisation"),
    "contact": _l("the contact"),
    "reason": _l("the reason"),
    "kind": _l("the kind"),
    "role": _l("the role"),
    "major": _l("the major"),
    "industry": _l("the industry"),
    "ownership": _l("the ownership"),
    "valid_hours": _l("the validity"),
    "internship_liability": _l("internship liability insurance"),
    "personal_accident": _l("personal accident insurance"),
    "work_injury": _l("work-injury insurance"),
}


class _Params(dict[str, Any]):
    """Parameters for a sentence; one the refusal did not carry reads as an ellipsis."""

    def __missing__(self, key: str) -> str:
        return "…"


def _variant(error: DomainError) -> str | None:
    return error.params.get("reason") or error.params.get("problem") or error.params.get("needs")


def sentence(error: DomainError) -> str:
    """The refusal as a sentence in the current request's language."""
    params: dict[str, Any] = {
        k: "、".join(str(LABELS.get(item, item)) for item in v) if isinstance(v, list) else v
        for k, v in error.params.items()
    }
    field = error.params.get("field")
    params["label"] = str(LABELS.get(field, field or "")) if isinstance(field, str) else ""
    variant = (error.code, str(_variant(error)))
    template = VARIANTS.get(variant)
    then = NEXT_STEPS.get(variant) if template is not None else NEXT_STEPS.get(error.code)
    template = template or SENTENCES.get(error.code)
    if template is None:
        return str(gettext("The registry refused this change (%(code)s).", code=error.code))
    said = str(template) % _Params(params)
    if then is None:
        return said
    # English sentences are spaced; Chinese ones follow each other directly
    return f"{said} {then}" if said.endswith((".", ")")) else f"{said}{then}"


def fields_of(error: DomainError) -> tuple[str, ...]:
    """The form fields a refusal may belong beside, most likely first."""
    field = error.params.get("field")
    if isinstance(field, str):
        return (field,)
    found = SHOWN_BESIDE.get(error.code, ())
    return (found,) if isinstance(found, str) else found
