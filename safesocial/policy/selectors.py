from django.http import Http404

from safesocial.people.models import Trust, User

from .models import PolicyVersion


def trust_for(user: User) -> Trust:
    if not user.is_authenticated or user.trust is None:
        raise Http404("You are not on the staff of a trust")
    return user.trust


def versions_for(user: User):
    return PolicyVersion.objects.filter(trust=trust_for(user)).select_related("adopted_by").defer("text")


def version_for(user: User, number: int) -> PolicyVersion:
    version = PolicyVersion.objects.filter(trust=trust_for(user), number=number).first()
    if version is None:
        raise Http404("No such version")
    return version
