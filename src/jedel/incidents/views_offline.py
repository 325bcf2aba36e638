"""The registration page's offline queue: the service worker that keeps the page usable without a connection, and
the translated texts its script shows (passed as data- attributes: the CSP allows no inline script).

The worker is served under the registration page's own path, so its scope is that page alone
(`/incidents/<id>/casualties/new/`): it keeps the last copy of the page, its htmx findings partials and its static
files, and answers from them only when the network fails. The queue itself lives in the page's localStorage
(incidents/offline_queue.js) and is sent through `POST /api/incidents/<id>/casualties` with an Idempotency-Key.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

# Counts whose plural forms cover English, Russian (one/few/many) and Kazakh; the script picks the sample whose
# Intl.PluralRules category is the count's.
PLURAL_SAMPLES = (1, 2, 5)


@require_GET
def register_worker(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The service worker script (no personal data in it, so no sign-in needed to fetch it)."""
    response = HttpResponse(render_to_string("incidents/register-sw.js"), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def _waiting(n: int) -> str:
    # The literal strings stay in the ngettext call itself: makemessages finds only those.
    return ngettext("%(count)s registration waiting to be sent — it will be sent when the connection returns",
                    "%(count)s registrations waiting to be sent — they will be sent when the connection returns", n)


def _attention(n: int) -> str:
    return ngettext("%(count)s registration refused by the server — needs attention",
                    "%(count)s registrations refused by the server — need attention", n)


def offline_texts() -> str:
    """Every text the queue script shows, in the request's language, as JSON; the script fills in `%(count)s`
    and `{tag}`."""
    return json.dumps(_texts(), ensure_ascii=False)


def _texts() -> dict[str, Any]:
    return {
        "waiting": {str(n): _waiting(n) for n in PLURAL_SAMPLES},
        "attention": {str(n): _attention(n) for n in PLURAL_SAMPLES},
        "queued": _("No connection: tag {tag} is kept on this device and will be sent when the connection returns."),
        "duplicate": _("Tag {tag} is already waiting to be sent."),
        "bad_tag": _("Enter the number on the triage tag: letters, digits, dots, hyphens or underscores."),
        "sending": _("Sending the waiting registrations…"),
        "empty": _("Nothing is waiting to be sent."),
        "sent": _("Tag {tag} registered."),
        "existing": _("Tag {tag} was already registered: nothing was changed."),
        "signed_out": _("You are signed out: the waiting registrations are kept on this device. Sign in again "
                        "to send them."),
        "sign_in": _("Sign in"),
        "retry": _("Send again"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard the registration of tag {tag}? It was not sent."),
        "refused": _("Refused by the server"),
    }
