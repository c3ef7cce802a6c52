from safesocial.permissions import Action, may

from .models import Trust


def trust(request):
    user = request.user
    current = user.trust if user.is_authenticated and user.trust_id else Trust.objects.first()
    nav = {}
    if user.is_authenticated and current is not None and user.trust_id:
        nav = {
            "audit": may(user, Action.VIEW_AUDIT) or may(user, Action.VIEW_AUDIT, _first_school(user)),
            "adopt": may(user, Action.ADOPT_POLICY),
        }
    return {"current_trust": current, "nav": nav}


def _first_school(user):
    assignment = user.role_assignments.filter(school__isnull=False).select_related("school__trust").first()
    return assignment.school if assignment else None
