"""The floors: the same JSON as each list endpoint, from `.values()` queries and orjson, no DRF.

Each floor returns exactly the content of its endpoint (fields, hyperlinks, pagination envelope);
bench/directory.py checks that before it measures anything.
"""

from collections import defaultdict

import jwt
import orjson
from django.conf import settings
from django.db.models import CharField, F
from django.db.models.functions import Cast
from django.http import HttpResponse
from rest_framework.utils.urls import remove_query_param, replace_query_param

from accounts.models import User
from orgs.models import Membership, Organization, active_creator


def page_of(request, queryset):
    """The page number and size the way the API reads them, the count, and the page's rows."""
    size = min(int(request.GET.get("page_size", 20)), 100)
    number = int(request.GET.get("page", 1))
    count = queryset.count()
    rows = list(queryset[(number - 1) * size : number * size])
    return number, size, count, rows


def envelope(request, api_path, number, size, count, results):
    url = request.build_absolute_uri(api_path)
    if request.GET:
        url += "?" + request.GET.urlencode()
    last = (count + size - 1) // size
    previous = None
    if number > 1:
        previous = (
            remove_query_param(url, "page")
            if number == 2
            else replace_query_param(url, "page", number - 1)
        )
    following = replace_query_param(url, "page", number + 1) if number < last else None
    return {
        "count": count,
        "count_is_estimate": False,  # exact below 20,000 rows (restkit.pagination)
        "next": following,
        "previous": previous,
        "results": results,
    }


def respond(body):
    return HttpResponse(orjson.dumps(body), content_type="application/json")


def iso(value):
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class Viewer:
    """Who asks, read from the bearer token without checking it (the floors do no
    authentication), and the organizations they belong to: what decides whose contact details
    they see. The API decides it in SQL; this decides it in Python, independently."""

    def __init__(self, request):
        token = request.headers["Authorization"].split()[1]
        user_id = int(jwt.decode(token, options={"verify_signature": False})["user_id"])
        self.id, self.is_staff = User.objects.values_list("id", "is_staff").get(pk=user_id)
        self.organizations = set(
            Membership.objects.filter(user_id=user_id).values_list("organization_id", flat=True)
        )

    def sees(self, user_id, visibility, organizations):
        return (
            self.is_staff
            or user_id == self.id
            or visibility == "everyone"
            or (visibility == "organizations" and not self.organizations.isdisjoint(organizations))
        )


def user_rows(request, rows):
    viewer = Viewer(request)
    base = request.build_absolute_uri("/api/")
    media = request.build_absolute_uri(settings.MEDIA_URL)
    orgs = defaultdict(list)
    memberships = (
        Membership.objects.filter(user_id__in=[row["id"] for row in rows])
        .order_by("organization_id")
        .values_list("user_id", "organization_id", "organization__name")
    )
    for user_id, org_id, name in memberships:
        orgs[user_id].append({"id": org_id, "url": f"{base}organizations/{org_id}/", "name": name})
    results = []
    for row in rows:
        organizations = orgs[row["id"]]
        shown = viewer.sees(row["id"], row["contact_visibility"], [o["id"] for o in organizations])
        results.append(
            {
                "id": row["id"],
                "url": f"{base}users/{row['id']}/",
                "email": row["email"] if shown else None,
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "phone": row["phone_e164"] if shown else None,
                "avatar": f"{media}{row['avatar']}" if row["avatar"] else None,
                "organizations": organizations,
            }
        )
    return results


USER_FIELDS = ("id", "email", "first_name", "last_name", "avatar", "contact_visibility")
PHONE = {"phone_e164": Cast("phone", CharField())}  # stored in E.164 already: no parsing


def users(request):
    queryset = User.objects.filter(is_active=True).order_by("id").values(*USER_FIELDS, **PHONE)
    number, size, count, rows = page_of(request, queryset)
    return respond(envelope(request, "/api/users/", number, size, count, user_rows(request, rows)))


def user(request, pk):
    rows = list(User.objects.filter(pk=pk, is_active=True).values(*USER_FIELDS, **PHONE))
    return respond(user_rows(request, rows)[0])


def organizations(request):
    base = request.build_absolute_uri("/api/")
    queryset = Organization.objects.order_by("name", "id").values(
        "id",
        "name",
        "description",
        "join_policy",
        "users_count",
        "created_at",
        creator_id=active_creator(),  # the same SQL as the API's
    )
    number, size, count, rows = page_of(request, queryset)
    results = [
        {
            "id": row["id"],
            "url": f"{base}organizations/{row['id']}/",
            "name": row["name"],
            "description": row["description"],
            "join_policy": row["join_policy"],
            "users_count": row["users_count"],
            "users_url": f"{base}organizations/{row['id']}/users/",
            "requests_url": f"{base}organizations/{row['id']}/requests/",
            "invitations_url": f"{base}organizations/{row['id']}/invitations/",
            "created_by": f"{base}users/{row['creator_id']}/" if row["creator_id"] else None,
            "created_at": iso(row["created_at"]),
        }
        for row in rows
    ]
    return respond(envelope(request, "/api/organizations/", number, size, count, results))


def organizations_with_users(request):
    viewer = Viewer(request)
    base = request.build_absolute_uri("/api/")
    queryset = Organization.objects.order_by("name", "id").values(
        "id", "name", "description", "join_policy"
    )
    number, size, count, rows = page_of(request, queryset)
    members = defaultdict(list)
    memberships = list(
        Membership.objects.filter(
            organization_id__in=[row["id"] for row in rows], user__is_active=True
        )
        .order_by("user_id")
        .values_list(
            "organization_id",
            "user_id",
            "user__email",
            "user__first_name",
            "user__last_name",
            "user__contact_visibility",
        )
    )
    colleagues = set(  # members who share one of the viewer's organizations
        Membership.objects.filter(
            user_id__in={membership[1] for membership in memberships},
            organization_id__in=viewer.organizations,
        ).values_list("user_id", flat=True)
    )
    for org_id, user_id, email, first_name, last_name, visibility in memberships:
        shown = viewer.sees(
            user_id, visibility, viewer.organizations if user_id in colleagues else ()
        )
        members[org_id].append(
            {
                "id": user_id,
                "url": f"{base}users/{user_id}/",
                "email": email if shown else None,
                "first_name": first_name,
                "last_name": last_name,
            }
        )
    results = [
        {
            "id": row["id"],
            "url": f"{base}organizations/{row['id']}/",
            "name": row["name"],
            "description": row["description"],
            "join_policy": row["join_policy"],
            "users": members[row["id"]],
        }
        for row in rows
    ]
    return respond(envelope(request, "/api/organizations/users/", number, size, count, results))


def organization_users(request, pk):
    organization = Organization.objects.values("id").get(pk=pk)
    queryset = User.objects.filter(
        memberships__organization=organization["id"], is_active=True
    ).order_by("id")
    fields = {"role": F("memberships__role"), "joined_at": F("memberships__joined_at")}
    number, size, count, rows = page_of(request, queryset.values(*USER_FIELDS, **PHONE, **fields))
    results = user_rows(request, rows)
    members = request.build_absolute_uri(f"/api/organizations/{pk}/users/")
    for row, result in zip(rows, results, strict=True):
        result["membership_url"] = f"{members}{result['id']}/"
        result["role"] = row["role"]
        result["joined_at"] = iso(row["joined_at"])
    body = envelope(request, f"/api/organizations/{pk}/users/", number, size, count, results)
    return respond(body)
