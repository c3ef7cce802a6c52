"""Real mail: the SMTP settings, against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from safesocial.concerns.services import concern_report
from safesocial.people.roles import Role

from .test_serve import _free_port

SUMMARY = "Jamie Rowe in Year 5 was sent photos by a man calling himself Dan on Instagram."


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)

    def prepare_message(self, session, envelope):
        return message_from_bytes(envelope.content, policy=policy.default)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_a_concern_notification_reaches_the_smtp_server_saying_only_that_there_is_one(
    smtp_server, settings, make_staff, seabright, django_capture_on_commit_callbacks
):
    controller, inbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    reporter = make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")

    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_report(actor=reporter, school=seabright, kind="friend_request", summary=SUMMARY).concern

    assert inbox.messages
    recipients = {m["To"] for m in inbox.messages}
    assert recipients and reporter.email not in recipients
    for message in inbox.messages:
        body = message.get_content()
        assert f"{settings.SITE_ROOT}/concerns/{concern.pk}/" in body
        for detail in ("Jamie", "Rowe", "Instagram", "photos", concern.reference):
            assert detail not in body and detail not in message["Subject"]


@pytest.mark.slow
def test_sendtestemail_reaches_the_smtp_server_named_in_the_environment(smtp_server, tmp_path):
    controller, inbox = smtp_server
    env = {
        **os.environ,
        "SAFESOCIAL_DATA_DIR": str(tmp_path),
        "EMAIL_HOST": controller.hostname,
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "0",
        "DEFAULT_FROM_EMAIL": "safesocial@school.example",
    }
    env.pop("EMAIL_BACKEND", None)

    subprocess.run(
        [sys.executable, "-m", "safesocial", "sendtestemail", "it@school.example"], env=env, check=True, timeout=60
    )

    (message,) = inbox.messages
    assert message["To"] == "it@school.example"
    assert message["From"] == "safesocial@school.example"
