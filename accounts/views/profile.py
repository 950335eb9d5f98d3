from dj_rest_auth.views import UserDetailsView
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from .. import services
from ..serializers.profile import (
    AccountDeleteSerializer,
    AvatarUploadSerializer,
    user_read_serializer,
)

UserRead = user_read_serializer()


@extend_schema_view(
    get=extend_schema(
        operation_id="getProfile",
        summary=_("Read your profile"),
        description=_("The authenticated user, with their organizations."),
        responses={200: UserRead},
    ),
    put=extend_schema(
        operation_id="replaceProfile",
        summary=_("Replace your profile"),
        description=_(
            "Replaces the profile: `email` is required, the other fields are optional and keep "
            "their value when left out. `organizations` is the full list of ids of the "
            "organizations you belong to. The avatar is uploaded with `PUT /api/profile/avatar/`."
        ),
        responses={200: UserRead},
    ),
    patch=extend_schema(
        operation_id="updateProfile",
        summary=_("Update your profile"),
        description=_(
            "Changes only the fields sent. A null `avatar` (or `remove_avatar`: true) removes "
            "the avatar; upload one with `PUT /api/profile/avatar/`. `organizations` may also be "
            "given as objects with an `id`, and `avatar` as the current avatar's URL "
            "(unchanged), as they are read. "
            "Changing `email` needs `current_password` "
            "(a wrong one counts against the login limits), and the old address is mailed a "
            "notice. A new `email` replaces the old address everywhere: the old one no longer "
            "logs in or receives password resets. With optional verification the new address "
            "is sent a confirmation email; with mandatory verification the change waits for "
            "that confirmation, and the old address stays the account's until then."
        ),
        responses={200: UserRead},
    ),
    delete=extend_schema(
        operation_id="deleteAccount",
        summary=_("Delete your account"),
        description=_(
            "Deletes the account, given its current `password` in the body: its memberships and "
            "its avatar go with it, and all its tokens stop working at once. The organizations "
            "it created stay, without a creator."
        ),
        request=AccountDeleteSerializer,
        responses={204: None},
    ),
)
class ProfileView(UserDetailsView, generics.DestroyAPIView):
    """The authenticated user's own profile (settings.REST_AUTH["USER_DETAILS_SERIALIZER"])."""

    # The browsable API's text for this page, its delete confirmation asking for the password,
    # and that button's label (restkit.renderers).
    description = _(
        "Your own account: change it with the form below (the avatar and the organizations stay "
        "as they are unless you change them), or delete it, with your password."
    )
    delete_serializer_class = AccountDeleteSerializer
    form_button_labels = {"DELETE": _("Delete your account")}

    def get_serializer_class(self):
        # By method, not action: the browsable API builds its forms with a cloned PUT request.
        if self.request.method in {"PUT", "PATCH"}:
            return super().get_serializer_class()
        return UserRead

    def update(self, request, *args, partial=False, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        return Response(UserRead(user, context=self.get_serializer_context()).data)

    @property
    def throttle_scope(self):
        return "account-delete" if self.request.method == "DELETE" else None

    def destroy(self, request, *args, **kwargs):
        serializer = AccountDeleteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.account_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    put=extend_schema(
        operation_id="uploadAvatar",
        summary=_("Upload your avatar"),
        description=_(
            "Replaces the avatar with the image sent as `multipart/form-data` in the field "
            "`avatar`. It is stored under a random name of letters and digits, shrunk to fit "
            "200x200 px; the old file is deleted."
        ),
        responses={200: UserRead},
    ),
    delete=extend_schema(
        operation_id="removeAvatar",
        summary=_("Remove your avatar"),
        description=_("Removes the avatar and deletes its file."),
        request=None,
        responses={204: None},
    ),
)
class ProfileAvatarView(generics.GenericAPIView):
    """Upload or remove the authenticated user's avatar (the old file goes)."""

    parser_classes = [MultiPartParser]  # a file, and nothing else
    serializer_class = AvatarUploadSerializer

    def get_object(self):  # also what OPTIONS describes the PUT form of
        return self.request.user

    def put(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        return Response(UserRead(user, context=self.get_serializer_context()).data)

    def delete(self, request, *args, **kwargs):
        services.avatar_remove(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
