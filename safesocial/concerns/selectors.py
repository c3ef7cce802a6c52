"""Concerns are invisible, not forbidden, to everyone the policy does not name."""

from django.db.models import Q, QuerySet
from django.http import Http404

from safesocial.audit.services import audit_record
from safesocial.people.models import User
from safesocial.permissions import Action, is_trust_wide, schools_where

from .models import Concern


def concerns_for(user: User) -> QuerySet[Concern]:
    if not user.is_authenticated or user.trust_id is None:
        return Concern.objects.none()
    schools = schools_where(user, Action.RECEIVE_CONCERNS)
    scope = Q(school__in=schools)
    if is_trust_wide(user, Action.RECEIVE_CONCERNS):
        scope |= Q(school__isnull=True)
    return Concern.objects.filter(trust_id=user.trust_id).filter(scope).select_related("school")


def concern_for(user: User, pk: int) -> Concern:
    concern = concerns_for(user).filter(pk=pk).first()
    if concern is None:
        raise Http404("No such concern")
    audit_record(actor=user, action="concern.view", obj=concern, school_id=concern.school_id)
    return concern
