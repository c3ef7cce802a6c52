"""Reads that depend on who is asking, and the figures other parts of SafeSocial ask for.

Other apps may call: `training_current(user)`, `acknowledgement_summary(trust, school=None)`,
`training_summary(trust, school=None)`, `channel_access_blockers(user)` and `dashboard_items(user)`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safesocial.channels.selectors import current_signature, public_addresses_of, public_channels_of
from safesocial.dates import add_months
from safesocial.hooks import DashboardItem
from safesocial.people.models import ParentCarer, Pupil, PupilParent, RoleAssignment, School, Trust, User
from safesocial.permissions import STAFF_ROLES, Action, may, schools_where
from safesocial.policy.models import PolicyVersion
from safesocial.policy.schema import PLATFORM_LABELS

from .models import Acknowledgement, Group, QuizAttempt, TrainingKind, TrainingRecord, TrainingStatus

STAFF_ROLE_VALUES = sorted(r.value for r in STAFF_ROLES)


def current_version(trust: Trust) -> PolicyVersion | None:
    return trust.policy_version


def asked_groups(trust: Trust) -> list[str]:
    return list(trust.policy.acknowledgement.groups)


# ---- Who is counted -------------------------------------------------------------------------------------------


def staff_of(trust: Trust, school: School | None = None) -> QuerySet[User]:
    """Staff asked to acknowledge and be trained: active people holding a staff role (not governors or
    volunteers). At a school, those holding such a role there; trust-wide staff count for the trust only."""
    held = Q(role_assignments__role__in=STAFF_ROLE_VALUES)
    if school is not None:
        held &= Q(role_assignments__school=school)
    return User.objects.filter(held, trust=trust, is_active=True).distinct()


def pupils_of(trust: Trust, school: School | None = None) -> QuerySet[Pupil]:
    qs = Pupil.objects.filter(school__trust=trust, on_roll=True)
    return qs.filter(school=school) if school is not None else qs


def parents_of(trust: Trust, school: School | None = None) -> QuerySet[ParentCarer]:
    """Parents and carers of pupils on roll (at the school)."""
    return ParentCarer.objects.filter(pk__in=pupils_of(trust, school).values("parents")).distinct()


# ---- Acknowledgement ---------------------------------------------------------------------------------------------


def has_acknowledged(user: User) -> bool:
    version = current_version(user.trust) if user.trust else None
    return version is not None and Acknowledgement.objects.filter(version=version, user=user).exists()


def acknowledgement_summary(trust: Trust, school: School | None = None) -> dict[str, tuple[int, int]]:
    """(acknowledged, total) per group the policy asks, for the version in force. One query per group."""
    version = current_version(trust)
    acks = Acknowledgement.objects.filter(version=version)
    people = {
        Group.STAFF: (staff_of(trust, school), "user"),
        Group.PARENTS: (parents_of(trust, school), "parent"),
        Group.PUPILS: (pupils_of(trust, school), "pupil"),
    }
    out: dict[str, tuple[int, int]] = {}
    for group in asked_groups(trust):
        qs, field = people[Group(group)]
        counts = qs.aggregate(
            total=Count("pk", distinct=True),
            done=Count("pk", distinct=True, filter=Q(pk__in=acks.filter(group=group).values(field))),
        )
        out[group] = (counts["done"], counts["total"])
    return out


def acknowledgement_by_school(trust: Trust) -> dict[int, dict[str, tuple[int, int]]]:
    """`acknowledgement_summary` for every school of the trust at once (school id → group → (acknowledged,
    total)), in four queries whatever the number of schools: for the completion page and the governors' report."""
    version = current_version(trust)
    acks = Acknowledgement.objects.filter(version=version)
    groups = asked_groups(trust)
    out: dict[int, dict[str, tuple[int, int]]] = {
        pk: {g: (0, 0) for g in groups} for pk in trust.schools.values_list("pk", flat=True)
    }
    if Group.STAFF in groups:
        done = set(acks.filter(group=Group.STAFF).values_list("user_id", flat=True))
        per_school: dict[int, set[int]] = defaultdict(set)
        for school_id, user_id in (
            RoleAssignment.objects.filter(
                trust=trust, school__isnull=False, role__in=STAFF_ROLE_VALUES, user__is_active=True
            )
            .order_by()  # the model's ordering would defeat distinct
            .values_list("school_id", "user_id")
            .distinct()
        ):
            per_school[school_id].add(user_id)
        for school_id, users in per_school.items():
            out[school_id][Group.STAFF] = (len(users & done), len(users))
    if Group.PUPILS in groups:
        for row in (
            pupils_of(trust)
            .values("school_id")
            .annotate(
                total=Count("pk"),
                done=Count("pk", filter=Q(pk__in=acks.filter(group=Group.PUPILS).values("pupil"))),
            )
            .order_by()
        ):
            out[row["school_id"]][Group.PUPILS] = (row["done"], row["total"])
    if Group.PARENTS in groups:
        for row in (
            PupilParent.objects.filter(pupil__school__trust=trust, pupil__on_roll=True)
            .values("pupil__school_id")
            .annotate(
                total=Count("parent_id", distinct=True),
                done=Count(
                    "parent_id",
                    distinct=True,
                    filter=Q(parent_id__in=acks.filter(group=Group.PARENTS).values("parent")),
                ),
            )
            .order_by()
        ):
            out[row["pupil__school_id"]][Group.PARENTS] = (row["done"], row["total"])
    return out


def training_by_school(trust: Trust) -> dict[int, tuple[int, int, int]]:
    """`training_summary` for every school at once (school id → (current, overdue, total staff)). Two queries."""
    pairs = list(
        RoleAssignment.objects.filter(
            trust=trust, school__isnull=False, role__in=STAFF_ROLE_VALUES, user__is_active=True
        )
        .order_by()  # the model's ordering would defeat distinct
        .values_list("school_id", "user_id")
        .distinct()
    )
    states = training_states(trust, [User(pk=user_id) for user_id in {u for _, u in pairs}])
    out: dict[int, list[int]] = {pk: [0, 0, 0] for pk in trust.schools.values_list("pk", flat=True)}
    for school_id, user_id in pairs:
        row = out[school_id]
        row[0 if states[user_id].current else 1] += 1
        row[2] += 1
    return {pk: (c, o, t) for pk, (c, o, t) in out.items()}


def compliance_schools_for(user: User) -> QuerySet[School]:
    return schools_where(user, Action.VIEW_COMPLIANCE)


def compliance_school_for(user: User, key: str) -> School:
    school = compliance_schools_for(user).filter(key=key).first()
    if school is None or user.trust is None:
        raise Http404("No such school")
    # The school is in the user's own trust: share its object, whose policy is parsed once per request.
    school.trust = user.trust
    return school


@dataclass(frozen=True)
class ClassRow:
    name: str
    pupils: tuple[int, int]  # (acknowledged, total)
    parents: tuple[int, int]

    @property
    def families_complete(self) -> bool:
        return self.parents[1] > 0 and self.parents[0] == self.parents[1]


def class_completion(school: School) -> list[ClassRow]:
    """Pupils and their parents acknowledged, per class, for the version in force. Four queries whatever the size."""
    version = current_version(school.trust)
    pupils = list(pupils_of(school.trust, school).values_list("pk", "class_name"))
    links = PupilParent.objects.filter(pupil__school=school, pupil__on_roll=True).values_list("pupil_id", "parent_id")
    done_pupils = set(
        Acknowledgement.objects.filter(version=version, pupil__school=school).values_list("pupil_id", flat=True)
    )
    parents_by_pupil: dict[int, set[int]] = defaultdict(set)
    for pupil_id, parent_id in links:
        parents_by_pupil[pupil_id].add(parent_id)
    all_parents = set().union(*parents_by_pupil.values()) if parents_by_pupil else set()
    done_parents = set(
        Acknowledgement.objects.filter(version=version, parent_id__in=all_parents).values_list("parent_id", flat=True)
    )
    by_class: dict[str, dict] = {}
    for pupil_id, class_name in pupils:
        row = by_class.setdefault(class_name or "No class", {"pupils": [0, 0], "parents": set()})
        row["pupils"][1] += 1
        row["pupils"][0] += pupil_id in done_pupils
        row["parents"] |= parents_by_pupil.get(pupil_id, set())
    return [
        ClassRow(
            name=name,
            pupils=(row["pupils"][0], row["pupils"][1]),
            parents=(len(row["parents"] & done_parents), len(row["parents"])),
        )
        for name, row in sorted(by_class.items())
    ]


def families_in_class(school: School, class_name: str) -> list[tuple[Pupil, list[ParentCarer]]]:
    """Each pupil of the class with their parents and carers, for the letters."""
    pupils = list(
        pupils_of(school.trust, school)
        .filter(class_name=class_name)
        .select_related("ack_code", "school__trust")
        .prefetch_related("parents__ack_code")
        .order_by("last_name", "first_name")
    )
    return [(p, list(p.parents.all())) for p in pupils]


@dataclass(frozen=True)
class FamilyRow:
    pupil: Pupil
    pupil_done: bool
    parents: list[tuple[ParentCarer, bool]]


def class_detail(school: School, class_name: str) -> list[FamilyRow]:
    """Each pupil of a class and their parents, with who has acknowledged the version in force. Four queries."""
    version = current_version(school.trust)
    families = families_in_class(school, class_name)
    pupil_ids = [p.pk for p, _ in families]
    parent_ids = {parent.pk for _, parents in families for parent in parents}
    done_pupils = set(
        Acknowledgement.objects.filter(version=version, pupil_id__in=pupil_ids).values_list("pupil_id", flat=True)
    )
    done_parents = set(
        Acknowledgement.objects.filter(version=version, parent_id__in=parent_ids).values_list("parent_id", flat=True)
    )
    return [
        FamilyRow(pupil, pupil.pk in done_pupils, [(p, p.pk in done_parents) for p in parents])
        for pupil, parents in families
    ]


def class_names(school: School) -> list[str]:
    qs = pupils_of(school.trust, school).exclude(class_name="").order_by("class_name")
    return list(qs.values_list("class_name", flat=True).distinct())


def staff_to_acknowledge(trust: Trust, school: School | None = None) -> QuerySet[User]:
    version = current_version(trust)
    # Only staff rows: a family's acknowledgement has no user, and NOT IN (…, NULL) would exclude everyone.
    done = Acknowledgement.objects.filter(version=version, group=Group.STAFF).values("user")
    return staff_of(trust, school).exclude(pk__in=done)


# ---- Training ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingState:
    inducted: bool
    latest: dt.date | None
    due: dt.date | None  # the date the next refresher is due

    @property
    def current(self) -> bool:
        return self.inducted and self.due is not None and self.due >= timezone.localdate()

    @property
    def reason(self) -> str:
        if not self.inducted:
            return "No induction training recorded"
        if self.latest is None:
            return "No training recorded"
        return f"Refresher due since {self.due:%d %B %Y}" if not self.current else ""


def training_states(trust: Trust, users: QuerySet[User] | list[User]) -> dict[int, TrainingState]:
    """The training state of many people in one query. Only confirmed records count. A person is current when
    (where the policy asks for induction) they have an induction record and their latest training is younger than
    `training.refresher_months`."""
    policy = trust.policy
    ids = [u.pk for u in users] if isinstance(users, list) else users.values("pk")
    rows = (
        TrainingRecord.objects.filter(user_id__in=ids, status=TrainingStatus.CONFIRMED)
        .values("user_id")
        .annotate(latest=Max("completed_on"), inductions=Count("pk", filter=Q(kind=TrainingKind.INDUCTION)))
    )
    found = {r["user_id"]: r for r in rows}
    states = {}
    for user_id in [u.pk for u in users] if isinstance(users, list) else users.values_list("pk", flat=True):
        row = found.get(user_id)
        latest = row["latest"] if row else None
        states[user_id] = TrainingState(
            inducted=bool(row and (row["inductions"] or not policy.training.induction)),
            latest=latest,
            due=add_months(latest, policy.training.refresher_months) if latest else None,
        )
    return states


def training_state(user: User) -> TrainingState:
    if user.trust is None:
        return TrainingState(False, None, None)
    return training_states(user.trust, [user])[user.pk]


def training_current(user: User) -> bool:
    """Is the person's training current under their trust's policy (induction, and a refresher on time)?"""
    return training_state(user).current


def training_summary(trust: Trust, school: School | None = None) -> tuple[int, int, int]:
    """(current, overdue, total staff). Two queries."""
    staff = list(staff_of(trust, school).only("pk"))
    states = training_states(trust, staff)
    current = sum(1 for s in states.values() if s.current)
    return current, len(staff) - current, len(staff)


def visible_staff(viewer: User, school: School | None = None) -> list[User]:
    """Staff whose acknowledgement and training the viewer may see: at one school (already checked with
    `compliance_school_for`), the whole trust for trust-wide roles, or the viewer's own schools."""
    trust = viewer.trust
    if trust is None:
        return []
    if school is not None:
        return list(staff_of(trust, school).order_by("full_name"))
    if may(viewer, Action.VIEW_COMPLIANCE):
        return list(staff_of(trust).order_by("full_name"))
    return list(
        User.objects.filter(
            trust=trust,
            is_active=True,
            role_assignments__role__in=STAFF_ROLE_VALUES,
            role_assignments__school__in=compliance_schools_for(viewer),
        )
        .distinct()
        .order_by("full_name")
    )


def overdue_staff(viewer: User, school: School | None = None) -> list[tuple[User, TrainingState]]:
    """Staff the viewer may see whose training is overdue (no induction, or a refresher older than the policy's
    `training.refresher_months`). Two queries."""
    staff = visible_staff(viewer, school)
    if viewer.trust is None:
        return []
    states = training_states(viewer.trust, staff)
    return [(u, states[u.pk]) for u in staff if not states[u.pk].current]


def records_for(viewer: User, member: User) -> QuerySet[TrainingRecord]:
    return member.training_records.select_related("recorded_by", "decided_by")


def pending_for(viewer: User) -> QuerySet[TrainingRecord]:
    """Self-recorded training waiting for someone who manages training at the person's school."""
    schools = schools_where(viewer, Action.MANAGE_TRAINING)
    return (
        TrainingRecord.objects.filter(
            status=TrainingStatus.PENDING,
            user__trust=viewer.trust,
            user__role_assignments__school__in=schools,
        )
        .exclude(user=viewer)
        .select_related("user")
        .distinct()
    )


def record_for(viewer: User, pk: int) -> TrainingRecord:
    """A training record the viewer may see: their own, or one at a school where they manage or view training."""
    if viewer.trust_id is None:
        raise Http404("No such record")
    record = TrainingRecord.objects.select_related("user").filter(pk=pk, user__trust_id=viewer.trust_id).first()
    if record is None or not (record.user_id == viewer.pk or may_see_training_of(viewer, record.user)):
        raise Http404("No such record")
    return record


def may_see_training_of(viewer: User, member: User, action: Action = Action.VIEW_COMPLIANCE) -> bool:
    if viewer.trust_id != member.trust_id:
        return False
    if may(viewer, action):
        return True
    schools = set(schools_where(viewer, action).values_list("pk", flat=True))
    return member.role_assignments.filter(school_id__in=schools).exists()


def manageable_staff(viewer: User) -> QuerySet[User]:
    """Staff whose training the viewer may record."""
    schools = schools_where(viewer, Action.MANAGE_TRAINING)
    qs = User.objects.filter(trust=viewer.trust, is_active=True, role_assignments__school__in=schools)
    if may(viewer, Action.MANAGE_TRAINING):
        qs = User.objects.filter(trust=viewer.trust, is_active=True, role_assignments__isnull=False)
    return qs.exclude(pk=viewer.pk).distinct().order_by("full_name")


def attempt_for(viewer: User, token: str) -> QuizAttempt:
    attempt = QuizAttempt.objects.select_related("version", "user", "training_record").filter(token=token).first()
    if attempt is None or attempt.user_id != viewer.pk:
        raise Http404("No such attempt")
    return attempt


def channel_access_blockers(user: User) -> list[str]:
    """What stops this person being given access to an official channel under the trust's policy
    (`training.required_for_channel_access`): training that is not current, an unsigned acceptable use agreement."""
    if user.trust is None:
        return ["they are not on the staff of a trust"]
    policy = user.trust.policy
    if not policy.training.required_for_channel_access:
        return []
    problems = []
    state = training_state(user)
    if not state.current:
        problems.append(f"their training is not current ({state.reason.lower()})")
    if policy.channels.aup_signature_required and current_signature(user) is None:
        problems.append("they have not signed the social media acceptable use agreement")
    return problems


# ---- Public pages ------------------------------------------------------------------------------------------------


def public_school(school_id: int) -> School:
    """Any school with a policy in force may be shown to the public; nothing about people is read here."""
    school = School.objects.select_related("trust").filter(pk=school_id).first()
    if school is None or school.trust.policy_version is None:
        raise Http404("No such school")
    return school


def public_channels(school: School) -> list[dict]:
    """The school's and the trust's official channels: those the policy lists and the active ones in the register."""
    policy = school.trust.policy
    addresses = public_addresses_of(school)
    found: dict[str, dict] = {}
    for ch in policy.channels.official:
        if ch.school in (None, school.key):
            found[ch.name.lower()] = {
                "name": ch.name,
                "platform": PLATFORM_LABELS[ch.platform],
                # The policy's address (a URL object, written out), else the one the register holds.
                "url": str(ch.url) if ch.url else addresses.get(ch.name.lower(), ""),
                "trust_wide": ch.school is None,
            }
    for reg in public_channels_of(school):
        # The register knows a channel's address even when the policy file does not.
        listed = found.setdefault(
            reg.name.lower(),
            {"name": reg.name, "platform": reg.platform_label, "url": "", "trust_wide": reg.school_id is None},
        )
        listed["url"] = listed["url"] or reg.address
    return list(found.values())


# ---- Dashboard ---------------------------------------------------------------------------------------------------


def dashboard_items(user: User) -> list[DashboardItem]:
    if not getattr(user, "is_authenticated", False) or user.trust is None or user.trust.policy_version is None:
        return []
    items: list[DashboardItem] = []
    trust = user.trust
    is_staff = user.role_assignments.filter(role__in=STAFF_ROLE_VALUES).exists()
    if is_staff and Group.STAFF in asked_groups(trust) and not has_acknowledged(user):
        items.append(
            DashboardItem(
                title="Acknowledge the policy",
                text=f"Read version {trust.policy_version.document_version} of the social media policy and confirm.",
                url=reverse("compliance:acknowledge"),
                link_text="Read and confirm",
                tone="warn",
            )
        )
    if is_staff:
        state = training_state(user)
        if not state.current:
            items.append(
                DashboardItem(
                    title="Your training is overdue",
                    text=f"{state.reason}. Take the quiz on the policy or record training you have done.",
                    url=reverse("compliance:index"),
                    link_text="Your training",
                    tone="bad",
                )
            )
    if schools_where(user, Action.MANAGE_TRAINING).exists():
        waiting = pending_for(user).count()
        if waiting:
            items.append(
                DashboardItem(
                    title="Training to confirm",
                    text=f"record{'s' if waiting != 1 else ''} of training that colleagues made themselves.",
                    url=reverse("compliance:index"),
                    link_text="Check and confirm",
                    tone="warn",
                    count=waiting,
                )
            )
    schools = list(compliance_schools_for(user))
    if schools:
        trust_wide = may(user, Action.VIEW_COMPLIANCE)
        summary = acknowledgement_summary(trust, None if trust_wide else schools[0])
        done = sum(d for d, _ in summary.values())
        total = sum(t for _, t in summary.values())
        where = trust.name if trust_wide else schools[0].name
        # Say which version: a new one asks everyone again, and a figure that falls to 0 needs its reason beside it.
        version = trust.policy_version
        which = "the policy in force"
        if version is not None:
            since = timezone.localtime(version.effective_from)
            which = f"version {version.document_version} of the policy, in force since {since:%-d %B %Y}"
        items.append(
            DashboardItem(
                title="Policy acknowledged",
                text=f"of {total} staff, parents and pupils at {where} have acknowledged {which}.",
                url=reverse("compliance:completion"),
                link_text="Completion by school, class and group",
                tone="ok" if total and done == total else "warn",
                count=done,
            )
        )
    return items
