"""Issue 12, finding 10: the append-only audit trail can never be erased, so it holds no child's personal data
in clear. It records what changed (field names, and for words a hash keyed with the audit key and a length), never
the words."""

import hashlib
import hmac
import json

import pytest
from django.conf import settings

from safesocial.audit.models import AuditEntry
from safesocial.publishing import services

pytestmark = pytest.mark.django_db(transaction=True)
FIRST = "Sports day is on Friday: bring a water bottle!"
SECOND = "Well done Zeb Marlowe-Finch, fastest in Year 4!"


def _keyed(text: str) -> str:
    return hmac.new(settings.AUDIT_KEYS[0].encode(), text.encode(), hashlib.sha256).hexdigest()


def _post_entries(post) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="publishing.post", object_id=str(post.pk)).order_by("seq"))


def test_an_edit_records_which_fields_changed_with_hashes_and_lengths_not_words(teacher, sandbox):
    post = services.post_create(actor=teacher, channels=[sandbox], text=FIRST, category="events")
    services.post_update(actor=teacher, post=post, text=SECOND, category="achievements", scheduled_for=None)
    (entry,) = [e for e in _post_entries(post) if e.action == "post.update"]
    assert entry.changes["fields"] == ["text", "category"]
    assert entry.changes["text"] == {
        "before": {"hmac_sha256": _keyed(FIRST), "length": len(FIRST)},
        "after": {"hmac_sha256": _keyed(SECOND), "length": len(SECOND)},
    }
    assert entry.changes["category"] == ["events", "achievements"]  # a policy key, not personal data
    assert "Marlowe" not in json.dumps(entry.changes) and "Marlowe" not in entry.object_label


def test_no_entry_about_a_post_holds_a_childs_name_from_its_words_or_its_reviewers_notes(teacher, colleague, sandbox):
    post = services.post_create(actor=teacher, channels=[sandbox], text=SECOND, category="achievements")
    post, _ = services.post_submit(actor=teacher, post=post)
    post = services.post_reject(actor=colleague, post=post, notes="Ask Zeb Marlowe-Finch's parents first.")
    post = services.post_update(
        actor=teacher, post=post, text=SECOND + " Well run!", category="achievements", scheduled_for=None
    )
    services.post_withdraw(actor=teacher, post=post, reason="Zeb Marlowe-Finch's mum said no.")
    entries = _post_entries(post)
    assert [e.action for e in entries] == ["post.create", "post.submit", "post.reject", "post.update", "post.withdraw"]
    for entry in entries:
        assert "Marlowe" not in json.dumps(entry.changes) + entry.object_label, entry.action
    reject = next(e for e in entries if e.action == "post.reject")
    assert reject.changes["notes"]["length"] == len("Ask Zeb Marlowe-Finch's parents first.")
