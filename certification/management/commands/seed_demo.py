from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certification import demo
from documents import storage


class Command(BaseCommand):
    help = "Create the demo schemes, collectivities and accounts (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo accounts share a public password: seed only with DEBUG on."
            )
        demo.seed()
        storage.ensure_bucket()
        self.stdout.write(self.style.SUCCESS("Demo ready: every account's password is “demo”."))
