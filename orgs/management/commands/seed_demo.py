from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from orgs import services
from orgs.models import Organization, name_key

DEMO_PASSWORD = "demo-pass-2024"

ORGANIZATIONS = {
    "Acme Rockets": "Rockets, anvils and other desert supplies.",
    "Globex": "Global exports, mostly harmless.",
    "Initech": "Software that prints TPS reports.",
}

PEOPLE = [
    ("ann@example.com", "Ann", "Lee", "+14155552671", ["Acme Rockets", "Globex"]),
    ("bob@example.com", "Bob", "Stone", "+442079460958", ["Globex"]),
    ("chloe@example.com", "Chloé", "Martin", "", ["Initech", "Acme Rockets"]),
    ("dmitry@example.com", "Дмитрий", "Иванов", "+74951234567", ["Initech"]),
]


class Command(BaseCommand):
    help = "Fill the database with a few demo organizations and people (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        # The demo accounts share a published password: never on a server that others can reach.
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo runs in debug mode only (DJANGO_DEBUG=1): its accounts share a "
                "published password."
            )
        people = {}
        for email, first_name, last_name, phone, _ in PEOPLE:
            people[email] = User.objects.filter(email=email).first() or User.objects.create_user(
                email, DEMO_PASSWORD, first_name=first_name, last_name=last_name, phone=phone
            )
        founder = people[PEOPLE[0][0]]
        orgs = {}
        for name, description in ORGANIZATIONS.items():
            # Each organization is created, and so owned, by the first person listed in it.
            creator = next(people[email] for email, *_, names in PEOPLE if name in names)
            orgs[name] = Organization.objects.filter(
                name_key=name_key(name)
            ).first() or services.organization_create(
                by=creator, name=name, description=description
            )
        for email, *_, memberships in PEOPLE:
            for name in memberships:
                user = people[email]
                services.membership_add(organization=orgs[name], user=user, by=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(orgs)} organizations, {len(people)} people.\n"
                f"Log in with email {founder.email} and password {DEMO_PASSWORD}"
            )
        )
