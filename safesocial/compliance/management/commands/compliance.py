from django.core.management.base import BaseCommand

from safesocial.compliance.services import acknowledgement_remind
from safesocial.ops.services import job_run_record
from safesocial.people.models import Trust


class Command(BaseCommand):
    help = (
        "compliance remind: email staff who have not acknowledged the policy in force (at most every "
        "acknowledgement.reminder_days days) and list the classes whose families still need a letter. "
        "Run it daily from a scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])

    def handle(self, *args, action, **options):
        for trust in Trust.objects.order_by("pk"):
            if trust.policy_version is None:
                continue
            report = acknowledgement_remind(trust=trust)
            self.stdout.write(f"{trust}: reminded {len(report.emailed)} member(s) of staff by email.")
            if report.letters:
                self.stdout.write("Families still to acknowledge (print or resend their class's letters):")
                for school, class_name, missing in report.letters:
                    self.stdout.write(f"  {school}, {class_name}: {missing}")
        job_run_record(name="compliance_remind")
