from django.core.management.base import BaseCommand, CommandError

from safesocial.audit.services import audit_verify


class Command(BaseCommand):
    help = "Work with the audit trail. `safesocial audit verify` checks the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Report any entry altered or removed; exit 1 if one is found.")

    def handle(self, *args, **options):
        count, problems = audit_verify()
        if problems:
            for problem in problems:
                self.stderr.write(f"TAMPERED {problem}")
            raise CommandError(f"audit trail is NOT intact: {len(problems)} problem(s) in {count} entries")
        self.stdout.write(f"audit trail intact: {count} entries, hash chain verified")
