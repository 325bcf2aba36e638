"""Pages of the supplies app's requests and shipments (included by urls.py)."""

from django.urls import URLPattern, path

from jedel.supplies import views_requests as v

urlpatterns: list[URLPattern] = [
    path("requests/", v.requests_page, name="requests"),
    path("requests/new/", v.request_new_page, name="request_new"),
    path("requests/<int:request_id>/", v.request_page, name="request"),
    path("requests/<int:request_id>/decide/", v.request_decide_action, name="request_decide"),
    path("requests/<int:request_id>/cancel/", v.request_cancel_action, name="request_cancel"),
    path("requests/<int:request_id>/close/", v.request_close_action, name="request_close"),
    path("requests/<int:request_id>/ship/", v.request_ship_action, name="request_ship"),
    path("shipments/<int:shipment_id>/", v.shipment_page, name="shipment"),
    path("shipments/<int:shipment_id>/dispatch/", v.shipment_dispatch_action, name="shipment_dispatch"),
    path("shipments/<int:shipment_id>/receive/", v.shipment_receive_action, name="shipment_receive"),
    path("shipments/<int:shipment_id>/cancel/", v.shipment_cancel_action, name="shipment_cancel"),
]
