from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (20 by default, at most 100; larger values are clamped)."""

    page_size_query_param = "page_size"
    max_page_size = 100
