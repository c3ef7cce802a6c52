"""The demo's subject access request: a Seabright parent's own request, twelve days into its month."""

from __future__ import annotations

from safesocial.subject_access.demo import seed
from safesocial.subject_access.models import SubjectAccessRequest, SubjectKind
from safesocial.subject_access.selectors import requests_for


def test_the_demo_has_a_parents_request_with_its_clock_running_for_the_schools_dsl(trust, parent, head):
    seed(trust)
    seed(trust)  # a second run adds nothing
    [sar] = SubjectAccessRequest.objects.all()
    assert sar.subject_kind == SubjectKind.PARENT and sar.parent == parent
    assert (sar.received_on - sar.due_on).days < -27 and sar.is_open
    assert list(requests_for(head)) == [sar]
