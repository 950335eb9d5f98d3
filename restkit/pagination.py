"""Pages of any list, at a flat cost whatever its size: `?page=` near the start, `?cursor=`
(keyset) anywhere, and a count that is exact where counting is cheap and the planner's estimate
where it is not.

- `?page=N` is OFFSET: the database reads and drops every row before the page. It serves the
  first MAX_OFFSET rows; past them, `next` carries on with a cursor.
- `?cursor=` (from a page's `next` or `previous`) is the position of a row in the list's order:
  the page is one index range scan from there, as cheap at row 1,000,000 as at row 1.
- `count` is COUNT(*) unless PostgreSQL's planner expects more than EXACT_COUNT_MAX rows; then it
  is that estimate (from the statistics ANALYZE gathers), and `count_is_estimate` says so. A
  numbered page that is the last one tells the count itself: no count query then. A search's
  first page, when the planner expects few matches, counts them in its own query (a window
  count): counting them apart would walk the search's indexes a second time.

An order that no index holds (one computed per row, such as an address masked for the viewer) can
still be read a page at a time: a view's `get_ordered_parts(queryset)` may return the list's rows
as disjoint parts, each a queryset of the same columns that an index reads in that order (or None:
the list as it is). Each page is then one query: every part after the page's position (its own
keyset condition: Django cannot filter a union), limited on PostgreSQL to the rows the page needs,
merged under the list's ORDER BY and LIMIT (UNION ALL: index scans of a page or so each, under a
sort of those few rows).
"""

import base64
import binascii
import copy
import datetime
import json
import math

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import Count, F, Q, Value, Window
from django.db.models.expressions import Col
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .filters import MAX_ID

EXACT_COUNT_MAX = 20_000  # COUNT(*) of this many rows by index: a few milliseconds
# Matches a search's page may read whole to count them in passing: the page's query reads them all
# anyway when few (to sort them); for many, it stops after a page by an index in the list's order.
# At 1M people, 2,238 matches: 7 ms in passing, against 25 to 35 ms counted apart (the page then
# walked the list in order and tested 45,000 rows).
COUNT_IN_PASSING_MAX = 5_000
MAX_OFFSET = 10_000  # rows an OFFSET may skip; at 1M rows the last page's cost 450 ms

# Whether a term of an order may be NULL: never (a NOT NULL column), maybe, or always (a part of a
# list whose value is hidden, a NULL constant).
NEVER, MAYBE, ALWAYS = "never", "maybe", "always"
TRUE, FALSE = ~Q(pk__in=[]), Q(pk__in=[])  # no condition in SQL, and no rows (no query either)

ROWS_IN_LIST = "rows_in_list"  # the annotation of a count in passing

INVALID_CURSOR = _("Not a cursor of this list: follow the `next` or `previous` link of a page.")


def estimated(queryset) -> int | None:
    """PostgreSQL's planner's estimate of the number of rows (planning only, no rows read); None
    on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":  # SQLite: the embedded default, for small directories
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        [[plan]] = cursor.fetchone()
    return int(plan["Plan"]["Plan Rows"])


class Ordering:
    """A queryset's order as (name, descending) terms ending with the id, and the keyset
    condition of the rows before or after a position in it. NULL sorts after every value, as
    PostgreSQL does by default (so that its indexes serve), on every database."""

    def __init__(self, queryset):
        terms = list(queryset.query.order_by or queryset.query.get_meta().ordering or [])
        self.terms = [(str(term).removeprefix("-"), str(term).startswith("-")) for term in terms]
        self.terms = [("id" if name == "pk" else name, desc) for name, desc in self.terms]
        if not self.terms or self.terms[-1][0] != "id":
            self.terms.append(("id", self.terms[-1][1] if self.terms else False))
        self.nulls = {name: nulls(queryset, name) for name, _ in self.terms}

    def within(self, queryset) -> "Ordering":
        """The same order in `queryset` (a part of the list), with the NULLs of its columns."""
        part = copy.copy(self)
        part.nulls = {name: nulls(queryset, name) for name, _ in self.terms}
        return part

    @property
    def names(self):
        return [name for name, _ in self.terms]

    def order_by(self, *, reverse=False):
        """The order_by() arguments, NULLs last ascending, first descending (reversed: the
        mirror image, so that a backward page is read from the same index)."""
        return [
            F(name).desc(nulls_first=True) if desc != reverse else F(name).asc(nulls_last=True)
            for name, desc in self.terms
        ]

    def after(self, values, *, reverse=False) -> Q:
        """The rows after the position `values` in this order (before it when `reverse`)."""
        condition = None
        for k in reversed(range(len(self.terms))):
            # Beyond the position on term k, or equal on it and beyond on the terms after it.
            name, desc = self.terms[k]
            beyond = self.beyond(name, desc != reverse, values[k])
            condition = (
                beyond if condition is None else beyond | (self.equal(name, values[k]) & condition)
            )
        name, desc = self.terms[0]
        if values[0] is not None and self.nulls[name] == NEVER:
            # The same rows, with the range the index scan starts from spelled out.
            condition &= Q(**{f"{name}__{'lte' if desc != reverse else 'gte'}": values[0]})
        return condition

    def beyond(self, name, descending, value) -> Q:
        nulls = self.nulls[name]
        if value is None:  # NULL is the largest value
            if nulls == NEVER:
                return TRUE if descending else FALSE
            return Q(**{f"{name}__isnull": False}) if descending and nulls == MAYBE else FALSE
        if nulls == ALWAYS:  # NULL, beyond any value ascending
            return FALSE if descending else TRUE
        condition = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        if nulls == MAYBE and not descending:
            condition |= Q(**{f"{name}__isnull": True})
        return condition

    def equal(self, name, value) -> Q:
        nulls = self.nulls[name]
        if value is None:
            return {NEVER: FALSE, ALWAYS: TRUE}.get(nulls) or Q(**{f"{name}__isnull": True})
        return FALSE if nulls == ALWAYS else Q(**{name: value})


def nulls(queryset, name) -> str:
    """Whether the column or annotation `name` of `queryset` is NEVER, MAYBE or ALWAYS NULL."""
    annotation = queryset.query.annotations.get(name)
    if annotation is None:
        try:
            return MAYBE if queryset.model._meta.get_field(name).null else NEVER
        except FieldDoesNotExist:
            return MAYBE
    if isinstance(annotation, Value):  # a constant, such as a hidden address
        return ALWAYS if annotation.value is None else NEVER
    if isinstance(annotation, Col) and annotation.alias == queryset.query.base_table:
        return MAYBE if annotation.target.null else NEVER  # a column under another name
    return MAYBE  # computed, such as a masked address


def value_of(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (20 by default, at most 100; larger values are clamped), or
    `?cursor=` from a page's `next` or `previous` link. Every page says `count` and whether it is
    an estimate."""

    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.ordering = Ordering(queryset)
        self.parts = None
        if hasattr(view, "get_ordered_parts"):
            self.parts = view.get_ordered_parts(queryset)
        self.count = self.estimate = None
        self.searched = bool(
            getattr(view, "search_fields", None)
            and request.query_params.get(api_settings.SEARCH_PARAM, "").strip()
        )
        if self.cursor_query_param in request.query_params:
            rows = self.cursor_page(queryset, request)
        else:
            rows = self.numbered_page(queryset, request)
        if self.count is None:
            self.count_of(queryset)
        self.display_page_controls = bool(self.template and (self.next_link or self.previous_link))
        return rows

    def count_of(self, queryset):
        """COUNT(*), or the planner's estimate when it expects more than EXACT_COUNT_MAX rows."""
        if self.estimate is None:
            self.estimate = estimated(queryset)
        if self.estimate is not None and self.estimate > EXACT_COUNT_MAX:
            self.count, self.count_is_estimate = self.estimate, True
        else:
            self.count, self.count_is_estimate = queryset.count(), False
        return self.count

    def counts_in_passing(self, queryset) -> bool:
        """Whether the page's query is to count the list too: a search that the planner expects
        to find few rows (on PostgreSQL, with the list as one query)."""
        if not self.searched or self.parts is not None:
            return False
        self.estimate = estimated(queryset)
        return self.estimate is not None and self.estimate <= COUNT_IN_PASSING_MAX

    def numbered_page(self, queryset, request):
        self.number = self.page_number(queryset, request)
        if self.number is None:  # `last`
            return self.last_page(queryset)
        offset = (self.number - 1) * self.page_size
        if offset >= MAX_OFFSET:
            if self.count_of(queryset) <= offset:  # past the end, deep or not
                raise NotFound(gettext("Invalid page."))
            detail = gettext(
                "Pages start within the first %(rows)s rows; walk further with `cursor`, "
                "following `next`."
            ) % {"rows": grouped(MAX_OFFSET)}
            raise serializers.ValidationError({self.page_query_param: [detail]})
        in_passing = self.counts_in_passing(queryset)
        rows = self.rows(queryset, offset=offset, counted=in_passing)
        if not rows and self.number > 1:
            raise NotFound(gettext("Invalid page."))
        self.has_next, rows = len(rows) > self.page_size, rows[: self.page_size]
        if not self.has_next:  # the last page: it tells the count, no need to ask the database
            self.count, self.count_is_estimate = offset + len(rows), False
        elif in_passing:
            self.count, self.count_is_estimate = value_of(rows[0], ROWS_IN_LIST), False
        self.next_link = None
        if self.has_next:
            if offset + self.page_size < MAX_OFFSET:
                self.next_link = replace_query_param(
                    self.base_url(), self.page_query_param, self.number + 1
                )
            else:  # beyond what OFFSET serves: from here on, by position
                self.next_link = self.cursor_link(rows[-1], reverse=False)
        self.previous_link = None
        if self.number == 2:
            self.previous_link = remove_query_param(self.base_url(), self.page_query_param)
        elif self.number > 2:
            self.previous_link = replace_query_param(
                self.base_url(), self.page_query_param, self.number - 1
            )
        return rows

    def page_number(self, queryset, request):
        """The page asked for; None for the last, unless it is a page OFFSET serves."""
        number = request.query_params.get(self.page_query_param, 1)
        if number in self.last_page_strings:
            last = max(math.ceil(self.count_of(queryset) / self.page_size), 1)
            if self.count_is_estimate or (last - 1) * self.page_size >= MAX_OFFSET:
                return None
            number = last
        try:
            number = int(number)
        except ValueError:
            raise NotFound(gettext("Invalid page.")) from None
        if not 1 <= number <= MAX_ID:
            raise NotFound(gettext("Invalid page."))
        return number

    def last_page(self, queryset):
        """The last rows, read backwards from the end of the order: as cheap as the first."""
        rows = self.rows(queryset, reverse=True)
        more, rows = len(rows) > self.page_size, rows[: self.page_size]
        rows.reverse()
        self.next_link = None
        self.previous_link = self.cursor_link(rows[0], reverse=True) if more else None
        return rows

    def cursor_page(self, queryset, request):
        cursor = request.query_params[self.cursor_query_param]
        if not cursor:  # `?cursor=`: the first page, and links by cursor from there
            values, reverse = None, False
        else:
            values, reverse = self.decode_cursor(cursor)
        try:
            rows = self.rows(queryset, position=values, reverse=reverse)
        except (ValidationError, ValueError, TypeError, OverflowError):  # a value of a wrong type
            raise self.invalid_cursor() from None
        more, rows = len(rows) > self.page_size, rows[: self.page_size]
        if reverse:
            rows.reverse()
        self.next_link = self.previous_link = None
        if not rows:
            return rows
        if more or reverse:
            self.next_link = self.cursor_link(rows[-1], reverse=False)
        if (more or not reverse) and values is not None:
            self.previous_link = self.cursor_link(rows[0], reverse=True)
        return rows

    def rows(self, queryset, *, position=None, reverse=False, offset=0, counted=False):
        """One more row than a page (to tell whether another follows) from `offset` in the
        list's order, or in its reverse, after `position` when given: from the list, or merged
        from the parts the view split it into (see the module's docstring). `counted`: each row
        also holds the number of rows in the list (ROWS_IN_LIST)."""
        stop = offset + self.page_size + 1
        order = self.ordering.order_by(reverse=reverse)
        if counted:
            queryset = queryset.annotate(**{ROWS_IN_LIST: Window(Count("*"))})
            # Sorted by the count first, the same in every row: the planner then reads every
            # match before the first row, as the count does, rather than walking the list's
            # index in order and testing each row until the page is full (PostgreSQL 15 costs a
            # window count as if it stopped there: 500 ms for 2,238 matches of 1M).
            order = [ROWS_IN_LIST, *order]
        parts = []
        for part in [queryset] if self.parts is None else self.parts:
            if position is not None:
                part = part.filter(self.ordering.within(part).after(position, reverse=reverse))
            parts.append(part)
        if len(parts) == 1:
            return list(parts[0].order_by(*order)[offset:stop])
        if connections[queryset.db].features.supports_slicing_ordering_in_compound:
            parts = [part.order_by(*order)[:stop] for part in parts]  # PostgreSQL: by index
        else:  # SQLite: the union ordered as a whole (small directories)
            parts = [part.order_by() for part in parts]
        return list(parts[0].union(*parts[1:], all=True).order_by(*order)[offset:stop])

    def cursor_link(self, position, *, reverse):
        if not isinstance(position, list):  # a row
            position = [value_of(position, name) for name in self.ordering.names]
        url = remove_query_param(self.base_url(), self.page_query_param)
        return replace_query_param(
            url, self.cursor_query_param, encode_cursor(self.ordering.names, position, reverse)
        )

    def decode_cursor(self, cursor):
        """The position and direction a cursor holds; a 400 naming `cursor` if it is not one of
        this list in its current order."""
        if len(cursor) > 2000:
            raise self.invalid_cursor()
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            payload = json.loads(text)
            values, names = payload["v"], payload["o"]
            reverse = payload.get("r", 0)
        except (binascii.Error, ValueError, TypeError, KeyError):
            raise self.invalid_cursor() from None
        if (
            names != self.ordering.names
            or not isinstance(values, list)
            or len(values) != len(names)
            or reverse not in (0, 1)
            or not all(valid_value(value) for value in values)
        ):
            raise self.invalid_cursor()
        return values, bool(reverse)

    def invalid_cursor(self):
        return serializers.ValidationError({self.cursor_query_param: [INVALID_CURSOR]})

    def base_url(self):
        return self.request.build_absolute_uri()

    def get_next_link(self):
        return self.next_link

    def get_previous_link(self):
        return self.previous_link

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_is_estimate": self.count_is_estimate,
                "next": self.next_link,
                "previous": self.previous_link,
                "results": data,
            }
        )

    def get_html_context(self):
        # The browsable API's controls: previous and next only (page numbers need the count).
        return {"previous_url": self.previous_link, "next_url": self.next_link, "page_links": []}

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = gettext(
                    "A page number, for pages that start within the first %(rows)s rows (a 400 "
                    "past them). To walk a long list, follow `next`: past those rows it carries "
                    "a `cursor`."
                ) % {"rows": grouped(MAX_OFFSET)}
                parameter["schema"].update(minimum=1, example=2)
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = gettext(
                    "Results per page: %(default)s by default, at most %(max)s (a larger value "
                    "gives %(max)s)."
                ) % {"default": self.page_size, "max": self.max_page_size}
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size, example=50
                )
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": gettext(
                    "A position in the list, as the `next` and `previous` links of a page carry "
                    "it (opaque: do not build one); empty (`?cursor=`) for the first page, with "
                    "links by cursor from there. The page after it (or before it, for "
                    "`previous`) costs the same at any depth, where `page` gets slower the "
                    "deeper it goes. A cursor of another list or `ordering` is a 400."
                ),
                "schema": {"type": "string"},
            }
        )
        return parameters

    def get_paginated_response_schema(self, schema):
        # `next` and `previous` are always sent, null at either end: required for a client.
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["count", "count_is_estimate", "next", "previous", "results"]
        for prop in page["properties"].values():  # not api.example.org: the API's own examples
            prop.pop("example", None)
        page["properties"]["count"]["description"] = gettext(
            "The number of results in all pages: exact, or an estimate from the database's "
            "statistics when `count_is_estimate` is true (large, unfiltered or broadly "
            "matching lists)."
        )
        page["properties"] = {
            "count": page["properties"]["count"],
            "count_is_estimate": {
                "type": "boolean",
                "example": False,
                "description": gettext(
                    "Whether `count` is the database's estimate rather than an exact count: "
                    "only where more than %(rows)s results are expected."
                )
                % {"rows": grouped(EXACT_COUNT_MAX)},
            },
            **{name: prop for name, prop in page["properties"].items() if name != "count"},
        }
        page["properties"]["next"]["description"] = gettext("The next page, or null on the last.")
        page["properties"]["previous"]["description"] = gettext(
            "The previous page, or null on the first."
        )
        return page


def grouped(number: int) -> str:
    """A number with its digits grouped as the active language writes them: 10,000 or 10 000."""
    return number_format(number, force_grouping=True)


def encode_cursor(names, values, reverse=False) -> str:
    """The cursor of the position `values` in the order of the terms `names` (URL-safe text)."""
    payload = {"o": names, "v": values}
    if reverse:
        payload["r"] = 1
    text = json.dumps(payload, default=exact_text, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def exact_text(value):
    """A position's value as JSON can't hold it, to the microsecond (Django's JSON encoder keeps
    milliseconds: a cursor would then skip or repeat rows)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"No cursor for a {type(value).__name__}")


def valid_value(value) -> bool:
    """A value a cursor may hold: text (without NUL, which no database column holds), a whole
    number within 64 bits, or null."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_ID - 1 <= value <= MAX_ID
    if isinstance(value, str):
        return "\x00" not in value and len(value) <= 500
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None
