"""WSGI entry point (the ASGI one is preferred)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jedel.config.settings")
application = get_wsgi_application()
