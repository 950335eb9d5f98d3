from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (20 by default, at most 100; larger values are clamped)."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, example=2)
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page: {self.page_size} by default, at most "
                    f"{self.max_page_size} (a larger value gives {self.max_page_size})."
                )
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size, example=50
                )
        return parameters

    def get_paginated_response_schema(self, schema):
        # `next` and `previous` are always sent, null at either end: required for a client.
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["count", "next", "previous", "results"]
        for prop in page["properties"].values():  # not api.example.org: the API's own examples
            prop.pop("example", None)
        page["properties"]["next"]["description"] = "The next page, or null on the last."
        page["properties"]["previous"]["description"] = "The previous page, or null on the first."
        return page
