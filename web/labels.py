"""Names of the domain's vocabularies in the page's language (the terms of docs/domain.md).

Chinese names are the plan's own terms (``ZH``); English pages show them beside the English
name, since they are what users read on their agreements.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from domain.prefectures import PREFECTURES
from registry.clock import SHANGHAI
from web.i18n import translated

MODES: dict[str, Any] = {
    "co_built_major": _l("Co-built major"),
    "order_class": _l("Order class / named class"),
    "training_base_in_enterprise": _l("School in enterprise / enterprise training base"),
    "training_base_in_school": _l("Enterprise in school / training base in school"),
    "apprenticeship": _l("New-type enterprise apprenticeship"),
    "teacher_practice_station": _l("Teacher enterprise-practice station"),
    "joint_enrollment": _l("Joint enrollment and recruitment"),
    "curriculum": _l("Joint curriculum and textbooks"),
    "internship_base": _l("Internship base"),
}
MODES_ZH: dict[str, str] = {
    "co_built_major": "共建专业",
    "order_class": "订单班/冠名班",
    "training_base_in_enterprise": "引校进企/企业实习实训基地",
    "training_base_in_school": "引企入校/企业在校培训基地",
    "apprenticeship": "企业新型学徒制",
    "teacher_practice_station": "教师企业实践工作站",
    "joint_enrollment": "共同招生招工",
    "curriculum": "共同开发课程教材",
    "internship_base": "实习基地",
}

STATUSES: dict[str, Any] = {
    "proposed": _l("Awaiting countersignature"),
    "declined": _l("Declined"),
    "countersigned": _l("Countersigned"),
    "not_yet_started": _l("Not yet started"),
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "expired": _l("Expired"),
    "terminated": _l("Terminated"),
}

ROLES: dict[str, Any] = {
    "enterprise_user": _l("Enterprise user"),
    "school_user": _l("School user"),
    "group_secretariat": _l("Group secretariat"),
    "prefecture_officer": _l("Prefecture officer"),
    "auditor": _l("Auditor"),
    "province_admin": _l("Province administrator"),
    "system": _l("System"),
}

ACCOUNT_STATUSES: dict[str, Any] = {
    "requested": _l("Awaiting approval"),
    "active": lazy_pgettext("account status", "Active"),
    "declined": _l("Declined"),
    "deactivated": _l("Deactivated"),
}

SCHOOL_KINDS: dict[str, Any] = {
    "technician_college": _l("Technician college"),
    "senior_technical_school": _l("Senior technical school"),
    "technical_school": _l("Technical school"),
}

SIDES: dict[str, Any] = {"school": _l("the school"), "enterprise": _l("the enterprise")}

INVESTMENT_KINDS: dict[str, Any] = {
    "equipment": _l("Equipment"),
    "money": _l("Money"),
    "other": _l("Other"),
}

EVENTS: dict[str, Any] = {
    "Proposed": _l("Proposed"),
    "Countersigned": _l("Countersigned"),
    "Declined": _l("Declined"),
    "AmendmentProposed": _l("Amendment proposed"),
    "AmendmentAccepted": _l("Amendment accepted"),
    "AmendmentDeclined": _l("Amendment declined"),
    "AmendmentWithdrawn": _l("Amendment withdrawn"),
    "Suspended": _l("Suspended"),
    "Resumed": _l("Resumed"),
    "Terminated": _l("Terminated"),
    "InvestmentPlanned": _l("Investment planned"),
    "InvestmentRecorded": _l("Investment recorded"),
    "InvestmentCorrected": _l("Investment corrected"),
    "Corrected": _l("Corrected"),
    "Requested": _l("Account requested"),
    "Approved": _l("Approved"),
    "RoleGranted": _l("Role granted"),
    "Deactivated": _l("Deactivated"),
    "Reactivated": _l("Reactivated"),
    "PasswordResetIssued": _l("Password link issued"),
    "PasswordChanged": _l("Password changed"),
    "SessionsEnded": _l("Signed out everywhere"),
    "Registered": _l("Registered"),
    "Upgraded": _l("Upgraded"),
    "Withdrawn": _l("Withdrawn"),
    "MajorOpened": _l("Major opened"),
    "MajorClosed": _l("Major closed"),
    "AttributesChanged": _l("Attributes changed"),
    "Certified": _l("Certified"),
    "Decertified": _l("Certification withdrawn"),
    "MemberAdmitted": _l("Member admitted"),
    "MemberRemoved": _l("Member removed"),
    "Chartered": _l("Chartered"),
    "OperatingDeclared": _l("Declared operating"),
    "LeadHandedOver": _l("Lead handed over"),
    "Dissolved": _l("Dissolved"),
    "IdNumberCorrected": _l("ID number corrected"),
    "PlacementAssigned": _l("Placement assigned"),
    "Forgotten": _l("Personal data erased"),
    "TripartiteAgreementRecorded": _l("Tripartite agreement recorded"),
    "DurationExceptionRecorded": _l("Duration exception recorded"),
    "PolicyLinked": _l("Policy linked"),
    "PolicyUnlinked": _l("Another party's policy unlinked"),
    "Started": _l("Started"),
    "Completed": _l("Completed"),
    "EndedEarly": _l("Ended early"),
    "WorkingArrangementRecorded": _l("Working arrangement recorded"),
    "FeeReported": _l("Fee reported"),
    "IncidentRecorded": _l("Incident recorded"),
    "ClaimFiled": _l("Claim filed"),
    "ClaimSettled": _l("Claim settled"),
    "PlacementsAdded": _l("Placements added"),
    "PlacementsRemoved": _l("Placements removed"),
    "CrossPartyPlacementsRemoved": _l("Other parties' placements removed"),
    "Renewed": _l("Renewed"),
    "Extended": _l("Extended"),
    "Cancelled": _l("Cancelled"),
    "PeriodLogged": _l("Practice period logged"),
    "PeriodCancelled": _l("Practice period cancelled"),
    "Filed": _l("Filed"),
    "Set": _l("Set"),
    "Moved": _l("Moved"),
    "Established": _l("Established"),
    "RequirementSet": _l("Requirement set"),
    "Recorded": _l("Recorded"),
}

OWNERSHIPS: dict[str, Any] = {
    "state_owned": _l("State-owned"),
    "private": _l("Private"),
    "foreign": _l("Foreign-invested"),
    "mixed": _l("Mixed ownership"),
}

ORGANISATION_KINDS: dict[str, Any] = {
    "industry_park": _l("Industry park"),
    "association": _l("Industry association"),
}

PARTY_TYPES: dict[str, Any] = {
    "school": _l("School"),
    "enterprise": _l("Enterprise"),
    **ORGANISATION_KINDS,
}

STAGES: dict[str, Any] = {
    "proposed": _l("In formation"),
    "chartered": _l("Chartered"),
    "operating": _l("Operating"),
    "dissolved": _l("Dissolved"),
}

FORMATION_STEPS: dict[str, Any] = {
    "proposed": _l("Proposed by a technician college as its lead"),
    "second_school": _l("Another school has joined"),
    "enterprise": _l("An enterprise has joined"),
    "chartered": _l("Chartered"),
    "operating": _l("Operating (实体化运作)"),
}

PLACEMENT_KINDS: dict[str, Any] = {
    "cognitive_internship": _l("Cognitive internship"),
    "post_internship": _l("Post internship"),
    "apprenticeship": _l("New-type apprenticeship"),
}

PLACEMENT_STATUSES: dict[str, Any] = {
    "registered": _l("Registered, not started"),
    "started": _l("Running"),
    "suspended": lazy_pgettext("placement status", "Suspended"),
    "completed": _l("Completed"),
    "ended_early": _l("Ended early"),
}

POLICY_KINDS: dict[str, Any] = {
    "work_injury": _l("Work-injury insurance"),
    "internship_liability": _l("Internship liability insurance"),
    "personal_accident": _l("Personal accident insurance"),
}

SEVERITIES: dict[str, Any] = {
    "minor": _l("Minor"),
    "serious": _l("Serious"),
    "major": _l("Major"),
    "fatal": _l("Fatal"),
}

CLAIM_OUTCOMES: dict[str, Any] = {"paid": _l("Paid"), "rejected": _l("Rejected")}

GENDERS: dict[str, Any] = {"female": _l("Female"), "male": _l("Male")}

REQUESTED_BY: dict[str, Any] = {
    "student": _l("The student"),
    "guardian": _l("The student's guardian"),
    "school": _l("The school"),
    "province": _l("The province"),
}

FIGURES: dict[str, Any] = {
    "enrollment": _l("Enrollment this year"),
    "students": _l("Students"),
    "senior_students": _l("Students in senior-class and above"),
    "graduates": _l("Graduates"),
    "employed": _l("Graduates employed at first destination"),
    "training_person_times": _l("Vocational training (person-times)"),
}

PURPOSES: dict[str, Any] = {
    "reveal": _l("Shown on a page"),
    "export": _l("Exported"),
    "derive": _l("Age or school year checked"),
}

OUTCOMES: dict[str, Any] = {
    "revealed": _l("Read"),
    "erased": _l("Already erased"),
    "refused": _l("Refused"),
}

INDICATORS: dict[str, Any] = {
    "schools": _l("Technical schools"),
    "technician_colleges": _l("Technician colleges"),
    "enrollment": _l("Annual enrollment"),
    "students": _l("Students enrolled"),
    "senior_share": _l("Senior-class share"),
    "employment_rate": _l("First employment rate"),
    "training": _l("Vocational training"),
    "training_groups": _l("Training groups"),
}

UNITS: dict[str, Any] = {
    "schools": _l("schools"),
    "10k": _l("10,000 students"),
    "%": "%",
    "10k person-times": _l("10,000 person-times"),
    "groups": _l("groups"),
}

RULES: dict[str, Any] = {
    "fee_charged_to_student": _l("A fee was charged to a placed student."),
    "pay_below_80_percent": _l("A post intern is paid less than 80 per cent of the post's wage."),
    "night_shift": _l("A placed student works night shifts."),
    "overtime": _l("A placed student works overtime."),
    "holiday_work": _l("A placed student works on statutory holidays."),
    "intermediary_placement": _l("A placement was attempted through an intermediary agency."),
    "cross_party_cover": _l(
        "A placement was put on a policy held by neither its school nor its enterprise."
    ),
    "major_without_co_builder": _l(
        "A technician college opened a major no above-designated-size enterprise co-builds."
    ),
    "return_late": _l("An annual statistics return was filed after the deadline."),
    "cover_lapse": _l("A required kind of insurance was not in force while the placement ran."),
    "post_internship_overrun": _l(
        "A post internship ran past 6 months without a recorded exception."
    ),
    "teacher_short_of_practice": _l(
        "A teacher has less than 6 months of enterprise practice in the last 5 years."
    ),
    "agreement_expired_in_use": _l(
        "An agreement expired while placements under it were still running."
    ),
    "prefecture_without_technician_college": _l("A prefecture has no technician college."),
    "return_missing": _l("A school had not filed its annual return by the deadline."),
}

FINDING_SEVERITIES: dict[str, Any] = {
    "high": _l("High"),
    "medium": _l("Medium"),
    "low": _l("Low"),
}

FINDING_STATES: dict[str, Any] = {"open": _l("Open"), "closed": _l("Closed")}

NOTICES: dict[str, Any] = {
    "policy_ending": _l("A policy's cover ends"),
    "agreement_ending": _l("An agreement in force ends"),
    "practice_falls_short": _l("A teacher will fall short of practice"),
}

DETAILS: dict[str, Any] = {
    "kind": _l("Kind"),
    "intermediary": _l("Intermediary"),
    "year": _l("Year"),
    "deadline": _l("Deadline"),
    "due_on": _l("Due on"),
    "ends_on": _l("Ends on"),
    "placements": _l("Placements"),
    "staff_number": _l("Staff number"),
    "practice_days": _l("Practice days"),
    "shortfall": _l("Days short"),
    "started_on": _l("Started on"),
    "planned_end": _l("Planned end"),
    "amount": _l("Amount"),
    "purpose": _l("Purpose"),
    "pay": _l("Pay"),
    "post_wage": _l("Post's wage"),
    "major": _l("Major"),
    "prefecture": _l("Prefecture"),
    "name": _l("Name"),
    "insurer": _l("Insurer"),
    "policy_number": _l("Policy number"),
    "title": _l("Title"),
}


def detail_value(key: str, value: object) -> str:
    """A finding's detail as a page shows it: vocabulary keys by their names."""
    text = "" if value is None else str(value)
    if key == "kind":
        return label(POLICY_KINDS, text) if text in POLICY_KINDS else label(PLACEMENT_KINDS, text)
    if key == "prefecture":
        return prefecture_name(text)
    if key in ("amount", "pay", "post_wage"):
        return yuan(text)
    return text


FIELDS: dict[str, Any] = {
    "on": _l("Date"),
    "reason": _l("Reason"),
    "amount": _l("Amount"),
    "field": _l("Field"),
    "value": _l("Value"),
    "basis": _l("Legal basis"),
}


def label(vocabulary: dict[str, Any], key: str | None) -> str:
    """A key's name, or the key itself for a value newer than this table."""
    if key is None:
        return ""
    found = vocabulary.get(key)
    if found is None:
        return key
    return found if isinstance(found, str) else translated(found)


def prefecture_name(code: str | None) -> str:
    return PREFECTURES.get(code or "", code or "")


def mode_name(mode: str) -> str:
    """A mode's name; on English pages followed by the Chinese term users know it by."""
    name = label(MODES, mode)
    chinese = MODES_ZH.get(mode)
    return name if chinese is None or chinese == name else f"{name} · {chinese}"


def mode_names(modes: list[str]) -> str:
    """Modes' names in one line, as a list cell shows them."""
    return "、".join(mode_name(mode) for mode in modes)


def local_time(recorded_at: str | None) -> str:
    """A recorded-at time (ISO, UTC) as Asia/Shanghai wall-clock time to the minute."""
    if not recorded_at:
        return ""
    moment = datetime.fromisoformat(recorded_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def yuan(amount: object) -> str:
    """An amount in yuan with thousands separators and fen."""
    if amount is None or amount == "":
        return ""
    return f"¥{Decimal(str(amount)):,.2f}"
