"""The one NinjaAPI. Only router registration belongs here."""

from ninja import NinjaAPI

from jedel.accounts.api import router as accounts_router
from jedel.accounts.auth import API_AUTH
from jedel.capacity.api import router as capacity_router
from jedel.common.api_errors import install
from jedel.facilities.api import router as facilities_router
from jedel.geo.api import router as geo_router

api = NinjaAPI(title="Jedel API", version="1", auth=API_AUTH, urls_namespace="api",
               description="Health-emergency preparedness and response for Kazakhstan.")
install(api)
api.add_router("/geo/", geo_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/", facilities_router)
api.add_router("/", capacity_router)
