"""WSGI entry point (the ASGI one is preferred)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jedel.config.settings")
from jedel.config.startup import refuse_demo_secret_key  # noqa: E402

refuse_demo_secret_key()
application = get_wsgi_application()
