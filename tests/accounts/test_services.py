"""The accounts' services called directly, as the views, the serializers, the admin and the
management commands call them."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.core.exceptions import ValidationError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.models import User
from orgs.models import Membership, Organization
from tests import images
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-secret-7"


def stored_avatars(media_root):
    folder = media_root / "avatars"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def addresses(user):
    return list(EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified"))


def live_tokens(user):
    return OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).count()


@pytest.fixture
def sign_up_request(rf):
    """A request as the sign-up view hands it to user_register: with its session."""
    request = rf.post("/api/register/")
    SessionMiddleware(lambda request: None).process_request(request)
    return request


def with_address(email, verified=True):
    """A user with their address on allauth's records, as a sign-up leaves it."""
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def with_avatar(user, capture):
    with capture(execute=True):
        services.profile_update(user=user, avatar=images.upload(images.image_bytes()))
    return user.avatar.name


def test_profile_update_writes_only_the_fields_it_is_given():
    """A change made through another instance meanwhile is not written back from a stale copy."""
    user = UserFactory(first_name="Ann", last_name="Lee")
    first = User.objects.get(pk=user.pk)
    second = User.objects.get(pk=user.pk)

    services.profile_update(user=first, last_name="Smith")
    returned = services.profile_update(user=second, first_name="Anna")

    assert returned is second
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Anna", "Smith")


def test_profile_update_without_changes_writes_nothing(django_assert_num_queries):
    user = UserFactory()

    with django_assert_num_queries(0):
        assert services.profile_update(user=user) is user


def test_a_new_email_replaces_the_address_on_allauths_records():
    """The old address no longer logs in nor receives reset links; the new one is unverified."""
    user = with_address("ann@example.com")

    services.profile_update(user=user, email="Ann.Lee@Example.COM")

    assert User.objects.get(pk=user.pk).email == "ann.lee@example.com"
    assert addresses(user) == [("ann.lee@example.com", True, False)]


def test_an_email_unchanged_in_its_normal_form_keeps_the_address_on_record():
    user = with_address("ann@example.com")

    services.profile_update(user=user, email="ANN@example.com")

    assert addresses(user) == [("ann@example.com", True, True)]


def test_with_verification_on_a_new_email_is_sent_a_confirmation_once_committed(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    user = with_address("ann@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        services.profile_update(user=user, email="ann.lee@example.com")
        assert mail.outbox == []

    # The confirmation, then the notice to the old address.
    assert [message.to for message in mail.outbox] == [["ann.lee@example.com"], ["ann@example.com"]]


def test_an_email_taken_by_another_account_is_a_validation_error_on_email():
    UserFactory(email="taken@example.com")
    user = with_address("ann@example.com", verified=False)

    with pytest.raises(ValidationError) as raised:
        services.profile_update(user=user, email="taken@example.com")

    assert set(raised.value.message_dict) == {"email"}
    assert User.objects.get(pk=user.pk).email == "ann@example.com"
    assert addresses(user) == [("ann@example.com", True, False)]


def test_a_new_avatar_deletes_the_old_file_once_committed_and_keeps_the_new(
    media_root, django_capture_on_commit_callbacks
):
    user = UserFactory()
    old = with_avatar(user, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.profile_update(user=user, avatar=images.upload(images.image_bytes()))
        assert (media_root / old).is_file()  # not before the change is committed

    new = User.objects.get(pk=user.pk).avatar.name
    assert new != old
    assert stored_avatars(media_root) == [new.removeprefix("avatars/")]


def test_a_change_to_other_fields_keeps_the_avatar_file(
    media_root, django_capture_on_commit_callbacks
):
    user = UserFactory()
    avatar = with_avatar(user, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.profile_update(user=User.objects.get(pk=user.pk), first_name="Ann")

    assert User.objects.get(pk=user.pk).avatar.name == avatar
    assert (media_root / avatar).is_file()


def test_avatar_remove_clears_the_avatar_and_deletes_its_file(
    media_root, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with_avatar(user, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.avatar_remove(user=user)

    assert not User.objects.get(pk=user.pk).avatar
    assert stored_avatars(media_root) == []


def test_password_set_sets_the_password_and_revokes_only_the_users_refresh_tokens():
    user = UserFactory()
    other = UserFactory()
    RefreshToken.for_user(user)
    RefreshToken.for_user(user)
    RefreshToken.for_user(other)

    services.password_set(user=user, password=NEW_PASSWORD)

    stored = User.objects.get(pk=user.pk)
    assert stored.check_password(NEW_PASSWORD)
    assert not stored.check_password(PASSWORD)
    assert live_tokens(user) == 0
    assert BlacklistedToken.objects.filter(token__user=user).count() == 2
    assert live_tokens(other) == 1


def test_password_set_replacing_a_stale_hash_is_refused_and_changes_nothing():
    """Of two changes that checked the old password against one hash, the second one fails as if
    its old password were wrong: it does not undo the first, nor end the sessions begun since."""
    user = UserFactory()
    first = User.objects.get(pk=user.pk)
    second = User.objects.get(pk=user.pk)
    services.password_set(user=first, password=NEW_PASSWORD, replacing=first.password)
    RefreshToken.for_user(user)  # a session begun with the new password

    with pytest.raises(ValidationError) as raised:
        services.password_set(
            user=second, password="yet-another-secret-8", replacing=second.password
        )

    assert set(raised.value.message_dict) == {"old_password"}
    stored = User.objects.get(pk=user.pk)
    assert stored.password == first.password
    assert stored.check_password(NEW_PASSWORD)
    assert live_tokens(user) == 1


def test_sign_out_everywhere_counts_the_refresh_tokens_still_live():
    user = UserFactory()
    RefreshToken.for_user(user)
    RefreshToken.for_user(user)

    assert services.sign_out_everywhere(user=user) == 2
    assert services.sign_out_everywhere(user=user) == 0
    assert live_tokens(user) == 0


def test_account_delete_removes_the_user_its_memberships_and_its_avatar_file(
    media_root, django_capture_on_commit_callbacks
):
    user = UserFactory()
    other = UserFactory()
    organization = OrganizationFactory()
    created = OrganizationFactory(created_by=user)
    user.organizations.add(organization, created)
    other.organizations.add(organization)
    with_avatar(user, django_capture_on_commit_callbacks)
    token = RefreshToken.for_user(user)

    with django_capture_on_commit_callbacks(execute=True):
        services.account_delete(user=user)

    assert not User.objects.filter(pk=user.pk).exists()
    assert list(Membership.objects.values_list("user_id", "organization_id")) == [
        (other.pk, organization.pk)
    ]
    assert stored_avatars(media_root) == []
    assert BlacklistedToken.objects.filter(token__jti=token["jti"]).exists()
    assert Organization.objects.get(pk=created.pk).created_by is None


def test_user_register_creates_an_account_with_a_usable_password_and_an_unverified_address(
    sign_up_request,
):
    user = services.user_register(
        request=sign_up_request, email="Ann@Example.com", password=PASSWORD, first_name="Ann"
    )

    stored = User.objects.get(pk=user.pk)
    assert stored.email == "ann@example.com"
    assert stored.first_name == "Ann"
    assert stored.has_usable_password()
    assert stored.check_password(PASSWORD)
    assert addresses(stored) == [("ann@example.com", True, False)]


def test_user_register_without_a_request_creates_the_account():
    """As a management command or the shell registers someone: `request` may be None."""
    user = services.user_register(request=None, email="ann@example.com", password=PASSWORD)

    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    assert addresses(user) == [("ann@example.com", True, False)]


def test_registering_an_address_twice_is_a_validation_error_on_email(sign_up_request, media_root):
    first = services.user_register(
        request=sign_up_request, email="ann@example.com", password=PASSWORD
    )

    with pytest.raises(ValidationError) as raised:
        services.user_register(
            request=sign_up_request,
            email="ANN@example.com",
            password=NEW_PASSWORD,
            avatar=images.upload(images.image_bytes()),
        )

    assert set(raised.value.message_dict) == {"email"}
    assert list(User.objects.values_list("pk", flat=True)) == [first.pk]
    assert User.objects.get(pk=first.pk).check_password(PASSWORD)
    assert addresses(first) == [("ann@example.com", True, False)]
    assert stored_avatars(media_root) == []  # the refused sign-up's avatar is not left behind
