"""OpenAPI schema generation: drf-spectacular, plus what a client generated from the schema needs
to handle every answer, added through AutoSchema's public get_operation():

- request bodies in JSON only (the form encodings stay accepted for the browsable API's HTML
  forms), except an operation whose view parses nothing else, such as a file upload;
- every error response the operation can give, with its body;
- the body of a DELETE that takes one, which drf-spectacular leaves out for methods other than
  POST, PUT and PATCH;
- `security: []` on the operations that need no token.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, get_view_model
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.schemas.utils import get_pk_description

JSON = "application/json"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# Not "Error": a generated TypeScript SDK would export a type that hides JavaScript's own.
@extend_schema_serializer(component_name="ApiError")
class ErrorSerializer(serializers.Serializer):
    """An error that concerns the whole request."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    messages = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text=_("Token errors: each check that failed."),
    )


FIELD_ERRORS = {
    "type": "object",
    "description": _(
        "Field errors: each invalid field (or query parameter) maps to a list of messages; "
        "errors that concern no single field are listed under `non_field_errors`."
    ),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"email": [_("A user with this email address already exists.")]},
}


def plain_request_fields(result, generator, request, public):
    """drf-spectacular's postprocessing hook: no `writeOnly` in request components (the request
    and response components are apart, COMPONENT_SPLIT_REQUEST), where it only made generators
    such as @hey-api/openapi-ts split LoginRequest into a type without the password and a
    "Writable" one with it."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            for prop in component.get("properties", {}).values():
                prop.pop("writeOnly", None)
    return result


def plain_email_strings(result, generator, request, public):
    """drf-spectacular's postprocessing hook: an address is kept and shown as it was written, an
    internationalized domain included (`anna@bücher.de`), so it is a plain string. `format:
    email` would make strict validators (zod, ajv) refuse such a user, and `idn-email` makes ajv
    refuse the whole schema (an unknown format, in its strict mode)."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for prop in component.get("properties", {}).values():
            if prop.get("format") == "email":
                del prop["format"]
    return result


class PhoneNumberFieldExtension(OpenApiSerializerFieldExtension):
    """A phone as django-phonenumber-field takes it: in international form, shown in E.164."""

    target_class = "phonenumber_field.serializerfields.PhoneNumberField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "description": gettext(
                'In international form: + and the country code ("+14155552671"); shown in '
                "E.164. An empty string for none."
            ),
            "example": "+14155552671",
        }


class BearerTokenScheme(SimpleJWTScheme):
    """simplejwt's bearer scheme for the API's subclass of its authentication."""

    target_class = "accounts.authentication.JWTAuthentication"


class AutoSchema(openapi.AutoSchema):
    def map_parsers(self):
        media_types = super().map_parsers()
        return [JSON] if JSON in media_types else media_types

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        if self.method == "DELETE" and "requestBody" not in operation:
            body = self.get_request_serializer()
            component = body and self.resolve_serializer(body, "request")
            if component:  # a serializer with writable fields, not a view's read-only one
                operation["requestBody"] = {
                    "content": {
                        media_type: {"schema": component.ref} for media_type in self.map_parsers()
                    },
                    "required": True,
                }
        if self._is_public():
            operation["security"] = []
        responses = operation.setdefault("responses", {})
        for code, (description, schema) in self._error_responses(operation).items():
            if code not in responses:
                responses[code] = {
                    "content": {JSON: {"schema": schema}},
                    "description": description,
                }
        return operation

    def _resolve_path_parameters(self, variables):
        # An id typed by its path converter (restkit.routers) gets no description from the
        # model: the one it would have had.
        parameters = super()._resolve_path_parameters(variables)
        model = get_view_model(self.view, emit_warnings=False)
        for parameter in parameters:
            if parameter["name"] == "id" and model is not None:
                parameter.setdefault("description", get_pk_description(model, model._meta.pk))
        return parameters

    def _is_public(self):
        return all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _component(self, name, schema):
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _error_responses(self, operation):
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        # A view that reads a body its operation does not describe (joining, leaving: any JSON
        # object is accepted and ignored) still answers its parse errors.
        reads_body = "requestBody" in operation or (
            self.method in WRITE_METHODS and getattr(self.view, "reads_body", False)
        )
        has_id = "{" in self.path
        parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
        paginated = "page" in parameters
        filtered = paginated and (
            getattr(self.view, "filterset_class", None)
            or getattr(self.view, "search_fields", None)
            or getattr(self.view, "ordering_fields", None)
        )
        errors = {}
        if reads_body or filtered:
            field_errors = self._component("FieldErrors", FIELD_ERRORS)
            errors["400"] = (
                gettext(
                    "Invalid input: field errors, or `detail` for a body that could not be read."
                ),
                {"oneOf": [error, field_errors]},  # `detail` required: tried first
            )
        if not self._is_public():
            errors["401"] = (gettext("No valid access token."), error)
        # A view's `may_forbid`: True, or the methods, that a role can refuse beyond the writes
        # to an object (reading an organization's invitations, joining one by invitation only).
        may_forbid = getattr(self.view, "may_forbid", ())
        if has_id and self.method in WRITE_METHODS:
            errors["403"] = (gettext("Not allowed to change this object."), error)
        elif may_forbid is True or self.method in may_forbid:
            errors["403"] = (
                gettext("Not allowed: your role, or whose account it is, does not permit it."),
                error,
            )
        if has_id or paginated:
            errors["404"] = (gettext("No such object, or a page past the end."), error)
        if self.method in WRITE_METHODS:
            # The size limit is checked before anything else, on any body (restkit.middleware).
            errors["413"] = (gettext("The request body is too large."), error)
        if reads_body:
            accepted = " or ".join(self.map_parsers())
            unsupported = gettext("Unsupported content type: send %(types)s.")
            errors["415"] = (unsupported % {"types": accepted}, error)
        if self.view.get_throttles():
            errors["429"] = (
                gettext("Too many requests: retry after `Retry-After` seconds."),
                error,
            )
        # Any request, while the database cannot be reached (restkit.middleware).
        errors["503"] = (gettext("Unavailable: retry after `Retry-After` seconds."), error)
        return errors
