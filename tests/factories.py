import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from orgs.models import Membership, Organization, Role

PASSWORD = "pass-1234-word"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organizations.set(extracted)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organization {n}")

    @factory.post_generation
    def owner(self, create, extracted, **kwargs):
        """OrganizationFactory(owner=user): `user` is its owner (and a member)."""
        if create and extracted:
            Membership.objects.create(organization=self, user=extracted, role=Role.OWNER)
