"""Names of the domain's vocabularies in the page's language (the terms of docs/domain.md).

Chinese names are the plan's own terms (``ZH``); English pages show them beside the English
name, since they are what users read on their agreements.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from domain.account import AccountStatus
from domain.actors import Role
from domain.agreement import InvestmentKind, Mode, Side, StatusOn
from domain.enterprise import Ownership
from domain.group_rules import PartyType, Stage
from domain.insurance import PolicyKind
from domain.organisation import OrganisationKind
from domain.placement import ClaimOutcome, IncidentSeverity, PlacementKind, PlacementStatus
from domain.prefectures import PREFECTURES
from domain.school import SchoolKind
from domain.student import Gender, RequestedBy
from projections.finding_rules import FindingState, Notice, RuleId, Severity
from registry.clock import SHANGHAI
from registry.stores.access_log import Outcome, Purpose
from web.i18n import translated

MODES: dict[Mode, Any] = {
    Mode.CO_BUILT_MAJOR: _l("Co-built major"),
    Mode.ORDER_CLASS: _l("Order class / named class"),
    Mode.TRAINING_BASE_IN_ENTERPRISE: _l("School in enterprise / enterprise training base"),
    Mode.TRAINING_BASE_IN_SCHOOL: _l("Enterprise in school / training base in school"),
    Mode.APPRENTICESHIP: _l("New-type enterprise apprenticeship"),
    Mode.TEACHER_PRACTICE_STATION: _l("Teacher enterprise-practice station"),
    Mode.JOINT_ENROLLMENT: _l("Joint enrollment and recruitment"),
    Mode.CURRICULUM: _l("Joint curriculum and textbooks"),
    Mode.INTERNSHIP_BASE: _l("Internship base"),
}
MODES_ZH: dict[Mode, str] = {
    Mode.CO_BUILT_MAJOR: "共建专业",
    Mode.ORDER_CLASS: "订单班/冠名班",
    Mode.TRAINING_BASE_IN_ENTERPRISE: "引校进企/企业实习实训基地",
    Mode.TRAINING_BASE_IN_SCHOOL: "引企入校/企业在校培训基地",
    Mode.APPRENTICESHIP: "企业新型学徒制",
    Mode.TEACHER_PRACTICE_STATION: "教师企业实践工作站",
    Mode.JOINT_ENROLLMENT: "共同招生招工",
    Mode.CURRICULUM: "共同开发课程教材",
    Mode.INTERNSHIP_BASE: "实习基地",
}

STATUSES: dict[StatusOn, Any] = {
    StatusOn.PROPOSED: _l("Awaiting countersignature"),
    StatusOn.DECLINED: _l("Declined"),
    StatusOn.WITHDRAWN: _l("Withdrawn by its proposer"),
    StatusOn.NOT_YET_STARTED: _l("Not yet started"),
    StatusOn.ACTIVE: _l("Active"),
    StatusOn.SUSPENDED: _l("Suspended"),
    StatusOn.EXPIRED: _l("Expired"),
    StatusOn.TERMINATED: _l("Terminated"),
}

ROLES: dict[Role, Any] = {
    Role.ENTERPRISE_USER: _l("Enterprise user"),
    Role.SCHOOL_USER: _l("School user"),
    Role.GROUP_SECRETARIAT: _l("Group secretariat"),
    Role.PREFECTURE_OFFICER: _l("Prefecture officer"),
    Role.AUDITOR: _l("Auditor"),
    Role.PROVINCE_ADMIN: _l("Province administrator"),
    Role.SYSTEM: _l("System"),
}

ACCOUNT_STATUSES: dict[AccountStatus, Any] = {
    AccountStatus.REQUESTED: _l("Awaiting approval"),
    AccountStatus.ACTIVE: lazy_pgettext("account status", "Active"),
    AccountStatus.SENT_BACK: _l("Sent back for correction"),
    AccountStatus.DECLINED: _l("Declined"),
    AccountStatus.DEACTIVATED: _l("Deactivated"),
}

SCHOOL_KINDS: dict[SchoolKind, Any] = {
    SchoolKind.TECHNICIAN_COLLEGE: _l("Technician college"),
    SchoolKind.SENIOR_TECHNICAL_SCHOOL: _l("Senior technical school"),
    SchoolKind.TECHNICAL_SCHOOL: _l("Technical school"),
}

SIDES: dict[Side, Any] = {Side.SCHOOL: _l("the school"), Side.ENTERPRISE: _l("the enterprise")}

INVESTMENT_KINDS: dict[InvestmentKind, Any] = {
    InvestmentKind.EQUIPMENT: _l("Equipment"),
    InvestmentKind.MONEY: _l("Money"),
    InvestmentKind.OTHER: _l("Other"),
}

EVENTS: dict[str, Any] = {
    "Proposed": _l("Proposed"),
    "Countersigned": _l("Countersigned"),
    "Declined": _l("Declined"),
    "SentBack": _l("Sent back for correction"),
    "Claimed": _l("Student number taken"),
    "Taken": _l("Student number taken again"),
    "Released": _l("Student number released"),
    "RequestAmended": _l("Request corrected and sent again"),
    "ProposalWithdrawn": _l("Proposal withdrawn"),
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

OWNERSHIPS: dict[Ownership, Any] = {
    Ownership.STATE_OWNED: _l("State-owned"),
    Ownership.PRIVATE: _l("Private"),
    Ownership.FOREIGN: _l("Foreign-invested"),
    Ownership.MIXED: _l("Mixed ownership"),
}

ORGANISATION_KINDS: dict[OrganisationKind, Any] = {
    OrganisationKind.INDUSTRY_PARK: _l("Industry park"),
    OrganisationKind.ASSOCIATION: _l("Industry association"),
}

PARTY_TYPES: dict[PartyType, Any] = {
    PartyType.SCHOOL: _l("School"),
    PartyType.ENTERPRISE: _l("Enterprise"),
    PartyType.INDUSTRY_PARK: _l("Industry park"),
    PartyType.ASSOCIATION: _l("Industry association"),
}

STAGES: dict[Stage, Any] = {
    Stage.PROPOSED: _l("In formation"),
    Stage.CHARTERED: _l("Chartered"),
    Stage.OPERATING: _l("Operating"),
    Stage.DISSOLVED: _l("Dissolved"),
}

FORMATION_STEPS: dict[str, Any] = {
    "proposed": _l("Proposed by a technician college as its lead"),
    "second_school": _l("Another school has joined"),
    "enterprise": _l("An enterprise has joined"),
    "chartered": _l("Chartered"),
    "operating": _l("Operating (实体化运作)"),
}

PLACEMENT_KINDS: dict[PlacementKind, Any] = {
    PlacementKind.COGNITIVE_INTERNSHIP: _l("Cognitive internship"),
    PlacementKind.POST_INTERNSHIP: _l("Post internship"),
    PlacementKind.APPRENTICESHIP: _l("New-type apprenticeship"),
}

PLACEMENT_STATUSES: dict[PlacementStatus, Any] = {
    PlacementStatus.REGISTERED: _l("Registered, not started"),
    PlacementStatus.STARTED: _l("Running"),
    PlacementStatus.SUSPENDED: lazy_pgettext("placement status", "Suspended"),
    PlacementStatus.COMPLETED: _l("Completed"),
    PlacementStatus.ENDED_EARLY: _l("Ended early"),
}

POLICY_KINDS: dict[PolicyKind, Any] = {
    PolicyKind.WORK_INJURY: _l("Work-injury insurance"),
    PolicyKind.INTERNSHIP_LIABILITY: _l("Internship liability insurance"),
    PolicyKind.PERSONAL_ACCIDENT: _l("Personal accident insurance"),
}

SEVERITIES: dict[IncidentSeverity, Any] = {
    IncidentSeverity.MINOR: _l("Minor"),
    IncidentSeverity.SERIOUS: _l("Serious"),
    IncidentSeverity.MAJOR: _l("Major"),
    IncidentSeverity.FATAL: _l("Fatal"),
}

CLAIM_OUTCOMES: dict[ClaimOutcome, Any] = {
    ClaimOutcome.PAID: _l("Paid"),
    ClaimOutcome.REJECTED: _l("Rejected"),
}

GENDERS: dict[Gender, Any] = {Gender.FEMALE: _l("Female"), Gender.MALE: _l("Male")}

REQUESTED_BY: dict[RequestedBy, Any] = {
    RequestedBy.STUDENT: _l("The student"),
    RequestedBy.GUARDIAN: _l("The student's guardian"),
    RequestedBy.SCHOOL: _l("The school"),
    RequestedBy.PROVINCE: _l("The province"),
}

FIGURES: dict[str, Any] = {
    "enrollment": _l("Enrollment this year"),
    "students": _l("Students enrolled (total)"),
    "senior_students": _l("Students in senior-class and above"),
    "graduates": _l("Graduates"),
    "employed": _l("Graduates employed at first destination"),
    "training_person_times": _l("Vocational training (person-times)"),
}

PURPOSES: dict[Purpose, Any] = {
    Purpose.REVEAL: _l("Shown on a page"),
    Purpose.EXPORT: _l("Exported"),
    Purpose.DERIVE: _l("Age or school year checked"),
    Purpose.FIND_BY_NAME: _l("Found by a search by full name"),
    Purpose.FIND_BY_ID_NUMBER: _l("Found by a search by ID number"),
}

OUTCOMES: dict[Outcome, Any] = {
    Outcome.REVEALED: _l("Read"),
    Outcome.ERASED: _l("Already erased"),
    Outcome.REFUSED: _l("Refused"),
}

# the plan's own names (专栏1), the senior share with its qualifier
INDICATORS: dict[str, Any] = {
    "schools": _l("Number of technical schools"),
    "technician_colleges": _l("Number of technician colleges"),
    "enrollment": _l("Annual enrollment"),
    "students": _l("Students enrolled"),
    "senior_share": _l(
        "Share of students in senior-class and above at senior technical schools and "
        "technician colleges"
    ),
    "employment_rate": _l("First employment rate"),
    "training": _l("Vocational training"),
    "training_groups": _l("Technician college (vocational training) groups"),
}

UNITS: dict[str, Any] = {
    "schools": _l("schools"),
    "10k": _l("10,000 students"),
    "%": "%",
    "10k person-times": _l("10,000 person-times"),
    "groups": _l("groups"),
}

RULES: dict[RuleId, Any] = {
    RuleId.FEE_CHARGED_TO_STUDENT: _l("A fee was charged to a placed student."),
    RuleId.PAY_BELOW_80_PERCENT: _l(
        "A post intern is paid less than 80 per cent of the post's wage."
    ),
    RuleId.NIGHT_SHIFT: _l("A placed student works night shifts."),
    RuleId.OVERTIME: _l("A placed student works overtime."),
    RuleId.HOLIDAY_WORK: _l("A placed student works on statutory holidays."),
    RuleId.INTERMEDIARY_PLACEMENT: _l("A placement was attempted through an intermediary agency."),
    RuleId.CROSS_PARTY_COVER: _l(
        "A placement was put on a policy held by neither its school nor its enterprise."
    ),
    RuleId.MAJOR_WITHOUT_CO_BUILDER: _l(
        "A technician college opened a major no above-designated-size enterprise co-builds."
    ),
    RuleId.RETURN_LATE: _l("An annual statistics return was filed after the deadline."),
    RuleId.COVER_LAPSE: _l(
        "A required kind of insurance was not in force while the placement ran."
    ),
    RuleId.POST_INTERNSHIP_OVERRUN: _l(
        "A post internship ran past 6 months without a recorded exception."
    ),
    RuleId.TEACHER_SHORT_OF_PRACTICE: _l(
        "A teacher has less than 6 months of enterprise practice in the last 5 years."
    ),
    RuleId.AGREEMENT_EXPIRED_IN_USE: _l(
        "An agreement expired while placements under it were still running."
    ),
    RuleId.PREFECTURE_WITHOUT_TECHNICIAN_COLLEGE: _l("A prefecture has no technician college."),
    RuleId.RETURN_MISSING: _l("A school had not filed its annual return by the deadline."),
}

FINDING_SEVERITIES: dict[Severity, Any] = {
    Severity.HIGH: _l("High"),
    Severity.MEDIUM: _l("Medium"),
    Severity.LOW: _l("Low"),
}

FINDING_STATES: dict[FindingState, Any] = {
    FindingState.OPEN: _l("Open"),
    FindingState.CLOSED: _l("Closed"),
}

NOTICES: dict[Notice, Any] = {
    Notice.POLICY_ENDING: _l("A policy's cover ends"),
    Notice.AGREEMENT_ENDING: _l("An agreement in force ends"),
    Notice.PRACTICE_FALLS_SHORT: _l("A teacher will fall short of practice"),
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
    "student_number": _l("Student number"),
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


READ_MODELS: dict[str, Any] = {
    "schools": _l("Schools"),
    "enterprises": _l("Enterprises"),
    "agreements": _l("Agreements"),
    "investments": _l("Investments"),
    "audit": _l("Audit trail"),
    "accounts": _l("Accounts"),
    "groups": _l("Training groups"),
    "students": _l("Students"),
    "placements": _l("Placements"),
    "policies": _l("Insurance"),
    "teachers": _l("Teachers' practice"),
    "returns": _l("Annual returns"),
    "findings": _l("Findings"),
    "indicators": _l("Indicators"),
}
"""The read models (``projections.VIEWS``) by name, as the replay's result names them."""

# the kinds of record the log holds, by the aggregate's class name (the audit trail's types)
RECORD_KINDS: dict[str, Any] = {
    "Account": _l("Account"),
    "AnnualReturn": _l("Annual return"),
    "CooperationAgreement": _l("Cooperation agreement"),
    "CoverRequirements": _l("Required cover"),
    "Enterprise": _l("Enterprise"),
    "InsurancePolicy": _l("Insurance policy"),
    "IntermediaryAttempt": _l("Attempt through an intermediary"),
    "Organisation": _l("Industry park or association"),
    "Placement": _l("Placement"),
    "ReturnDeadline": _l("Return deadline"),
    "School": _l("School"),
    "Student": _l("Student"),
    "StudentNumber": _l("Student number"),
    "TeacherPractice": _l("Teacher's practice"),
    "TrainingGroup": _l("Training group"),
}

# the fields events carry and the attributes corrections name (web/trail.py shows their values)
FIELDS: dict[str, Any] = {
    "on": _l("Date"),
    "reason": _l("Reason"),
    "registration": _l("Registration facts"),
    "renews": _l("Renews"),
    "student_number": _l("Student number"),
    "amount": _l("Amount"),
    "field": _l("Field"),
    "value": _l("Value"),
    "basis": _l("Legal basis"),
    "above_designated_size": _l("Above designated size"),
    "agreement_id": _l("Agreement"),
    "amount_paid": _l("Amount paid"),
    "attempt_id": _l("Attempt"),
    "birth_date": _l("Birth date"),
    "charged_on": _l("Charged on"),
    "contact": _l("Contact"),
    "covers_from": _l("Cover from"),
    "covers_until": _l("Cover until"),
    "deadline": _l("Deadline"),
    "description": _l("Description"),
    "display_name": _l("Name"),
    "due_on": _l("Due on"),
    "duration_exception": _l("Exception to the 6 months"),
    "effective_on": _l("Effective on"),
    "ends_on": _l("Ends on"),
    "enterprise_id": _l("Enterprise"),
    "enterprise_uscc": _l("Enterprise's USCC"),
    "entry_year": _l("Year of entry"),
    "established_on": _l("Established on"),
    "figures": _l("Figures"),
    "filed_on": _l("Filed on"),
    "from_id": _l("Lead until then"),
    "gender": _l("Gender"),
    "group_id": _l("Group"),
    "holder_id": _l("Policy holder"),
    "holiday_work": _l("Work on statutory holidays"),
    "id_number": _l("ID number"),
    "industry": _l("Industry"),
    "industry_focus": _l("Industry focus"),
    "insurer": _l("Insurer"),
    "intermediary": _l("Intermediary"),
    "invested_on": _l("Invested on"),
    "kind": _l("Kind"),
    "late": _l("Filed late"),
    "lead_id": _l("Lead college"),
    "major": _l("Major"),
    "majors": _l("Majors"),
    "mentor": _l("Enterprise mentor"),
    "modes": _l("Modes"),
    "name": lazy_pgettext("a record's name", "Name"),
    "night_shifts": _l("Night shifts"),
    "number": _l("Number"),
    "occurred_on": _l("Occurred on"),
    "organisation": _l("Organisation"),
    "outcome": _l("Outcome"),
    "overtime": _l("Overtime"),
    "ownership": _l("Ownership"),
    "party_id": _l("Party"),
    "party_type": _l("Kind of member"),
    "pay": _l("Pay"),
    "placement_id": _l("Placement"),
    "placement_ids": _l("Placements"),
    "placement_kind": _l("Kind of placement"),
    "policy_id": _l("Policy"),
    "policy_kinds": _l("Kinds of insurance"),
    "policy_number": _l("Policy number"),
    "position": _l("Post"),
    "post_wage": _l("Post's wage"),
    "prefecture": _l("Prefecture"),
    "prefectures": _l("Region"),
    "proposed_by": _l("Proposed by"),
    "proposed_on": _l("Proposed on"),
    "purpose": _l("Purpose"),
    "recorded_on": _l("Recorded on"),
    "reported_by": _l("Reported by"),
    "requested_by": _l("Requested by"),
    "required_cover": _l("Required cover"),
    "role": _l("Role"),
    "school_id": _l("School"),
    "severity": _l("Severity"),
    "signed_on": _l("Signed on"),
    "staff_number": _l("Staff number"),
    "starts_on": _l("Starts on"),
    "student_id": _l("Student"),
    "supervising_teacher": _l("Supervising teacher"),
    "title": _l("Title"),
    "to_id": _l("New lead"),
    "username": _l("Username"),
    "uscc": _l("USCC"),
    "valid_hours": _l("Valid for (hours)"),
    "via": _l("How"),
    "workplace_prefecture": _l("Workplace prefecture"),
    "year": _l("Year"),
}

# the registry's own actors (``system:<what>[:<who>]``), by what acts
SYSTEM_ACTORS: dict[str, Any] = {
    "demo": _l("Demo data loader"),
    "cli": _l("Command line"),
}

# how a password was set (``Account.PasswordChanged.via``)
PASSWORD_VIA: dict[str, Any] = {
    "own": _l("by its holder"),
    "reset_link": _l("through a one-time link"),
    "command_line": _l("on the command line"),
}


class Unlabelled(LookupError):
    """A vocabulary's key has no label: a member added without its name in this module."""


def label(vocabulary: Mapping[Any, Any], key: str | None) -> str:
    """A key's name in the page's language; a key the vocabulary lacks is an error, never
    shown raw (tests/web/test_labels.py checks every vocabulary is complete)."""
    if key is None:
        return ""
    found = vocabulary.get(key)
    if found is None:
        raise Unlabelled(f"no label for {key!r}")
    return found if isinstance(found, str) else translated(found)


def prefecture_name(code: str | None) -> str:
    return PREFECTURES.get(code or "", code or "")


def mode_name(mode: str) -> str:
    """A mode's name; on English pages followed by the Chinese term users know it by."""
    name = label(MODES, mode)
    chinese = MODES_ZH.get(Mode(mode))
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
