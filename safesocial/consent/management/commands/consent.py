from django.core.management.base import BaseCommand

from safesocial.consent.services import consent_renewal_remind
from safesocial.ops.services import job_run_record
from safesocial.people.models import Trust


class Command(BaseCommand):
    help = (
        "consent remind: email each school's consent managers about the parental consents that lapse within the "
        "policy's consent.renewal_reminder_days, each consent once. Run it daily from a scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])

    def handle(self, *args, action, **options):
        for trust in Trust.objects.order_by("pk"):
            if trust.policy_version is None:
                continue
            for school, emailed in consent_renewal_remind(trust=trust).items():
                self.stdout.write(f"{school}: consents about to lapse, {len(emailed)} member(s) of staff emailed.")
        job_run_record(name="consent_remind")
