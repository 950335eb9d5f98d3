"""OpenAPI schema generation: drf-spectacular, plus the error responses every client must handle
and the body of a DELETE that takes one, added through AutoSchema's public get_operation()."""

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
    the body of a DELETE that takes one (a serializer with writable fields, given with
    `extend_schema(request=...)`), which drf-spectacular leaves out for methods other than POST,
    PUT and PATCH."""

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
        responses = operation.setdefault("responses", {})
        for code, (description, body) in self._error_responses(operation).items():
            if code not in responses:
                schema = (
                    body
                    if isinstance(body, dict)
                    else self.resolve_serializer(body, "response").ref
                )
                responses[code] = {
                    "content": {"application/json": {"schema": schema}},
                    "description": description,
                }
        return operation

    def _error_responses(self, operation):
        has_body = "requestBody" in operation
        has_id = "{" in self.path
        parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
        paginated = "page" in parameters
        filtered = paginated and (
            getattr(self.view, "filterset_class", None) or getattr(self.view, "search_fields", None)
        )
        errors = {}
        if has_body or filtered:
            errors["400"] = ("Invalid input: the body or a query parameter.", VALIDATION_ERROR)
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
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
