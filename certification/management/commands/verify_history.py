from django.core.management.base import BaseCommand, CommandError

from certification.services.history import altered_dossiers


class Command(BaseCommand):
    help = "Recompute every dossier's transition-log hash chain and name those altered."

    def handle(self, *args, **options):
        altered = altered_dossiers()
        for dossier_id, reason in altered:
            self.stderr.write(f"dossier {dossier_id}: {reason}")
        if altered:
            raise CommandError(f"{len(altered)} dossier(s) with an altered history.")
        self.stdout.write(self.style.SUCCESS("Every history is intact."))
