"""The one NinjaAPI. Only router registration belongs here."""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.parser import Parser

from jedel.accounts.api import router as accounts_router
from jedel.accounts.auth import API_AUTH
from jedel.capacity.api import router as capacity_router
from jedel.common.api_errors import install
from jedel.common.limits import loads_bounded
from jedel.config.openapi_errors import add_error_responses
from jedel.facilities.api import router as facilities_router
from jedel.geo.api import router as geo_router
from jedel.incidents.api import router as incidents_router
from jedel.incidents.api_distribution import router as incidents_distribution_router
from jedel.incidents.api_reunification import router as reunification_router
from jedel.incidents.api_walkins import router as walkins_router
from jedel.notifications.api import router as notifications_router
from jedel.preparedness.api import router as preparedness_router
from jedel.security.api import router as security_router
from jedel.supplies.api import router as supplies_router
from jedel.supplies.api_distribution import router as supplies_distribution_router
from jedel.supplies.api_requests import router as supplies_requests_router
from jedel.transfers.api import router as transfers_router


class BoundedJsonParser(Parser):
    """JSON bodies nested deeper than any Jedel document are refused (422 too_deeply_nested, see api_errors)
    instead of reaching Python's recursion limit in the parser or in pydantic."""

    def parse_body(self, request: HttpRequest) -> Any:
        return loads_bounded(request.body)


class JedelAPI(NinjaAPI):
    """OpenAPI operation ids are the handlers' names (`list_status`): stable for generated clients and for the
    permission-matrix test, which covers every operation by name. Handler names are unique across apps."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The generated document plus the error answers every operation shares (config/openapi_errors.py)."""
        return add_error_responses(super().get_openapi_schema(*args, **kwargs))


api = JedelAPI(title="Jedel API", version="1", auth=API_AUTH, urls_namespace="api", parser=BoundedJsonParser(),
               description="Health-emergency preparedness and response for Kazakhstan.")
install(api)
api.add_router("/geo/", geo_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/", facilities_router)
api.add_router("/", capacity_router)
api.add_router("/", notifications_router)
api.add_router("/", incidents_router)
api.add_router("/", incidents_distribution_router)
api.add_router("/", reunification_router)
api.add_router("/", preparedness_router)
api.add_router("/", walkins_router)
api.add_router("/", security_router)
api.add_router("/", transfers_router)
api.add_router("/", supplies_router)
api.add_router("/", supplies_requests_router)
api.add_router("/", supplies_distribution_router)
