"""The one NinjaAPI. Only router registration belongs here."""

from typing import Any

from ninja import NinjaAPI

from jedel.accounts.api import router as accounts_router
from jedel.accounts.auth import API_AUTH
from jedel.capacity.api import router as capacity_router
from jedel.common.api_errors import install
from jedel.facilities.api import router as facilities_router
from jedel.geo.api import router as geo_router


class JedelAPI(NinjaAPI):
    """OpenAPI operation ids are the handlers' names (`list_status`): stable for generated clients and for the
    permission-matrix test, which covers every operation by name. Handler names are unique across apps."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)


api = JedelAPI(title="Jedel API", version="1", auth=API_AUTH, urls_namespace="api",
               description="Health-emergency preparedness and response for Kazakhstan.")
install(api)
api.add_router("/geo/", geo_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/", facilities_router)
api.add_router("/", capacity_router)
