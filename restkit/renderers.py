from django.conf import settings
from django.utils.translation import gettext
from rest_framework import renderers, views
from rest_framework.request import clone_request
from rest_framework.utils import formatting

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, made a complete UI for every operation.

    A view may say, for its page:
    - `delete_serializer_class`: the fields its DELETE takes (a password, say), asked for in the
      delete confirmation and sent with it;
    - `form_button_labels`: method -> the label of that method's button ("Join this
      organization" rather than "POST").
    A GET that answered an error (but a 405: the page of a POST-only action is its form), and
    a DELETE that succeeded, show no forms; after a write
    answered in another shape than the one its serializer takes, the forms show the object as
    it now is, in the shape they take.
    """

    def show_form_for_method(self, view, method, request, obj):
        answered = self.renderer_context["request"]  # `request` is a clone for `method`
        status_code = self.renderer_context["response"].status_code
        if answered.method in SAFE_METHODS and status_code >= 400 and status_code != 405:
            return False  # a 404 page has nothing to edit or delete
        if answered.method == "DELETE" and status_code < 400:
            return False  # deleted: nothing is left to act on
        return super().show_form_for_method(view, method, request, obj)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        content = super().render(data, accepted_media_type, renderer_context)
        response = renderer_context["response"]
        if renderer_context["request"].method == "GET" and response.status_code == 405:
            # The page of an action that only takes a POST (sign-up, login) is its form: the
            # browser shows it as a page, not as a failed load, and the page still says 405,
            # as DRF shows a 204 in a 200 page. A JSON client still gets the 405.
            response.status_code = 200
        return content

    def get_rendered_html_form(self, data, view, method, request):
        serializer = getattr(data, "serializer", None)
        if (
            request.method == method
            and serializer is not None
            and not hasattr(serializer, "initial_data")
        ):
            # Answered by a read serializer, not the one that took the request's data (which
            # DRF would reuse, giving a form of read-only fields): build the form as a GET's
            # page would.
            request = clone_request(request, "GET")
        return super().get_rendered_html_form(data, view, method, request)

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        view = renderer_context["view"]
        context["api_title"] = settings.SPECTACULAR_SETTINGS["TITLE"]
        context["button_labels"] = getattr(view, "form_button_labels", {})
        if context.get("delete_form"):
            context["delete_form_fields"] = self.get_delete_form_fields(view)
        return context

    def get_delete_form_fields(self, view):
        """The fields of the view's DELETE body, rendered for the delete confirmation."""
        serializer_class = getattr(view, "delete_serializer_class", None)
        if serializer_class is None:
            return None
        return self.render_form_for_serializer(
            serializer_class(context=view.get_serializer_context())
        )


def view_name(view):
    """The browsable API's heading of a page, DRF's (from the view's class, "Organization
    List"), in the language of the answer: the product lists its pages' names for the catalog
    (api/pages.py)."""
    return gettext(views.get_view_name(view))


def view_description(view, html=False):
    """The text under a page's heading, DRF's (the view's `description`, else its docstring), in
    the language of the answer; the catalog holds it as one line (api/pages.py)."""
    description = getattr(view, "description", None) or view.__class__.__doc__ or ""
    line = " ".join(str(description).split())
    translated = gettext(line) if line else line
    if translated == line:  # no translation: as DRF shows it
        return views.get_view_description(view, html)
    return formatting.markup_description(translated) if html else translated
