from django.db.models import Q, QuerySet

from safesocial.permissions import Action, may, schools_where

from .models import AuditEntry, AuditHead


def entries_for(user) -> QuerySet[AuditEntry]:
    """The whole trail for trust-wide readers; a head sees the entries about their own schools."""
    if may(user, Action.VIEW_AUDIT):
        return AuditEntry.objects.all()
    schools = list(schools_where(user, Action.VIEW_AUDIT).values_list("pk", flat=True))
    if not schools:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(Q(school_id__in=schools))


def chain_head(user) -> AuditHead | None:
    """The audit chain's head (its length and last hash), for those who may read the audit trail."""
    return AuditHead.objects.filter(id=1).first() if may(user, Action.VIEW_AUDIT) else None
