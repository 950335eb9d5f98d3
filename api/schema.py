"""OpenAPI schema generation: drf-spectacular, plus the error responses every client must handle."""

from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """An error that concerns the whole request."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    messages = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="Token errors: each check that failed.",
    )


VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Field errors: each invalid field maps to a list of messages; errors that concern no "
        "single field are listed under `non_field_errors` (or `detail`)."
    ),
    "properties": {"detail": {"type": "string", "description": "A body that could not be read."}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"email": ["A user with this email address already exists."]},
}


class AutoSchema(openapi.AutoSchema):
    """Adds to each operation the error responses it can give, with their bodies; and describes
    the body of a DELETE that takes one (a view's `delete_serializer_class`)."""

    def _delete_body(self):
        return self.method == "DELETE" and getattr(self.view, "delete_serializer_class", None)

    def get_request_serializer(self):
        if self._delete_body():
            return self.view.delete_serializer_class
        return super().get_request_serializer()

    def _get_request_body(self, direction="request"):
        if not self._delete_body():
            return super()._get_request_body(direction)
        self.method = "POST"  # drf-spectacular describes bodies of POST, PUT and PATCH only
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, (description, body) in self._error_responses().items():
            if code not in responses:
                response = self._get_response_for_code(body, code, direction=direction)
                responses[code] = {**response, "description": description}
        return responses

    def _error_responses(self):
        has_body = (
            self.method in {"POST", "PUT", "PATCH"} and self.get_request_serializer()
        ) or self._delete_body()
        has_id = "{" in self.path
        paginated = self._is_list_view() and self._get_paginator() is not None
        filtered = paginated and (
            getattr(self.view, "filterset_class", None) or getattr(self.view, "search_fields", None)
        )
        errors = {}
        if has_body or filtered:
            errors["400"] = ("Invalid input: the body or a query parameter.", VALIDATION_ERROR)
        if self._needs_authentication():
            errors["401"] = ("No valid access token.", ErrorSerializer)
        if has_id and self.method in {"PUT", "PATCH", "DELETE"}:
            errors["403"] = (
                "Only the creator, the member concerned or staff may.",
                ErrorSerializer,
            )
        if has_id or paginated:
            errors["404"] = ("No such object, or a page past the end.", ErrorSerializer)
        if has_body:
            errors["415"] = ("Unsupported content type.", ErrorSerializer)
        if self.view.get_throttles():
            errors["429"] = (
                "Too many requests: retry after `Retry-After` seconds.",
                ErrorSerializer,
            )
        return errors

    def _needs_authentication(self):
        return not all(isinstance(p, AllowAny) for p in self.view.get_permissions())
