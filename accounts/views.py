from django.contrib.auth import logout as django_logout
from django.contrib.auth import views as auth_views
from rest_framework import generics, status, viewsets
from rest_framework.response import Response
from rest_framework_simplejwt.views import TokenBlacklistView

from .filters import UserFilter
from .forms import EmailAuthenticationForm
from .models import User
from .serializers import ProfileSerializer, UserReadSerializer


class ProfileView(generics.RetrieveUpdateAPIView):
    """The authenticated user's own profile: read it, or change it with PUT or PATCH."""

    serializer_class = ProfileSerializer

    def get_object(self):
        return User.objects.with_organizations().get(pk=self.request.user.pk)


class ProfileAvatarView(generics.GenericAPIView):
    """Remove the authenticated user's avatar (the file goes with it)."""

    def delete(self, request, *args, **kwargs):
        request.user.avatar = None
        request.user.save(update_fields=["avatar"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(TokenBlacklistView):
    """Log out: the refresh token in the body can never be used again."""

    def post(self, request, *args, **kwargs):
        super().post(request, *args, **kwargs)
        django_logout(request)  # and end a browsable-API session, if there is one
        return Response({"detail": "Successfully logged out."})


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """The directory of all users, each with the organizations they belong to."""

    serializer_class = UserReadSerializer
    filterset_class = UserFilter
    search_fields = ["email", "first_name", "last_name"]
    ordering_fields = ["id", "email", "last_name", "date_joined"]
    ordering = ["id"]

    def get_queryset(self):
        return User.objects.with_organizations()


class BrowsableAPILoginView(auth_views.LoginView):
    """The browsable API's login page, by email and password."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
