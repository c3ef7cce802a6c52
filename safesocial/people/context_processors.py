from safesocial.permissions import Action, may

from .models import School, Trust


def trust(request):
    """The trust and the menu, worked out once per request: a page that draws a panel of another app
    (hooks.CONCERN_PANELS) renders a second template with the same request."""
    cached = getattr(request, "_safesocial_nav", None)
    if cached is None:
        cached = request._safesocial_nav = _trust_and_nav(request)
    return cached


def _trust_and_nav(request):
    user = request.user
    current = user.trust if user.is_authenticated and user.trust_id else Trust.objects.first()
    nav = {}
    if user.is_authenticated and current is not None and user.trust_id:
        schools = _assigned_schools(user)
        nav = {
            "audit": may(user, Action.VIEW_AUDIT) or may(user, Action.VIEW_AUDIT, schools[0] if schools else None),
            "adopt": may(user, Action.ADOPT_POLICY),
            "moderate": _anywhere(user, Action.MODERATE_COMMENTS, schools),
            "concerns": any(
                _anywhere(user, action, schools)
                for action in (Action.RECEIVE_CONCERNS, Action.RECEIVE_STAFF_CONCERNS, Action.MANAGE_ESCALATION)
            ),
            "reports": _anywhere(user, Action.VIEW_REPORTS, schools),
        }
    return {"current_trust": current, "nav": nav}


def _assigned_schools(user) -> list[School]:
    """The schools where the user holds a role, in the assignments' order (the first is the audit link's school), as
    one query for the whole menu: may() needs only a school's id and its trust's. Every page draws the menu, and a
    query per entry cost a DSL's page four (benchmarks/production_mix.py)."""
    rows = user.role_assignments.filter(school__isnull=False).values_list("school_id", "school__trust_id")
    return [School(pk=school_id, trust_id=trust_id) for school_id, trust_id in rows]


def _anywhere(user, action, schools: list[School]) -> bool:
    """May the user do this trust-wide, or at one of their schools (permissions.schools_where, without a query)."""
    return may(user, action) or any(may(user, action, school) for school in schools)
