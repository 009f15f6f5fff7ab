"""python manage.py sync_clever --token ...: mirror teachers and their sections."""

from django.core.management.base import BaseCommand

from portal import clever_api
from portal.models import Section, Teacher


class Command(BaseCommand):
    help = "Sync teachers and sections from Clever"

    def add_arguments(self, parser):
        parser.add_argument("--token", required=True)

    def handle(self, *args, token, **options):
        for record in clever_api.teachers(token):
            teacher, _ = Teacher.objects.update_or_create(
                clever_id=record["id"],
                defaults={"name": f"{record['name']['first']} {record['name']['last']}", "email": record.get("email", "")},
            )
            for section in clever_api.sections_of(record["id"], token):
                Section.objects.update_or_create(
                    clever_id=section["id"], defaults={"name": section["name"], "teacher": teacher}
                )
        self.stdout.write(self.style.SUCCESS("Clever sync done"))
