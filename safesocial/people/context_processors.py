from safesocial.permissions import Action, may, schools_where

from .models import Trust


def trust(request):
    user = request.user
    current = user.trust if user.is_authenticated and user.trust_id else Trust.objects.first()
    nav = {}
    if user.is_authenticated and current is not None and user.trust_id:
        nav = {
            "audit": may(user, Action.VIEW_AUDIT) or may(user, Action.VIEW_AUDIT, _first_school(user)),
            "adopt": may(user, Action.ADOPT_POLICY),
            "moderate": _anywhere(user, Action.MODERATE_COMMENTS),
            "concerns": any(
                _anywhere(user, action)
                for action in (Action.RECEIVE_CONCERNS, Action.RECEIVE_STAFF_CONCERNS, Action.MANAGE_ESCALATION)
            ),
            "reports": _anywhere(user, Action.VIEW_REPORTS),
        }
    return {"current_trust": current, "nav": nav}


def _anywhere(user, action) -> bool:
    return may(user, action) or schools_where(user, action).exists()


def _first_school(user):
    assignment = user.role_assignments.filter(school__isnull=False).select_related("school__trust").first()
    return assignment.school if assignment else None
