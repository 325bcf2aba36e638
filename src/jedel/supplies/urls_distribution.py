"""Pages of the supplies app's distribution (included by urls.py)."""

from django.urls import URLPattern, path

from jedel.supplies import views_distribution as views

urlpatterns: list[URLPattern] = [
    path("distributions/", views.distributions_page, name="distributions"),
    path("distributions/new/", views.distribution_new_page, name="distribution_new"),
    path("distributions/<int:distribution_id>/", views.distribution_page, name="distribution"),
    path("distributions/<int:distribution_id>/households/", views.household_action, name="distribution_household"),
    path("distributions/<int:distribution_id>/handouts/", views.handout_action, name="distribution_handout"),
    path("distributions/<int:distribution_id>/close/", views.close_action, name="distribution_close"),
    path("distributions/<int:distribution_id>/feedback/", views.feedback_new_page, name="feedback_new"),
    path("kits/<int:kit_id>/", views.kit_page, name="kit"),
    path("kits/<int:kit_id>/versions/<int:kit_version_id>/propose/", views.propose_action, name="kit_propose"),
    path("proposals/<int:proposal_id>/", views.proposal_page, name="proposal"),
    path("proposals/<int:proposal_id>/decide/", views.decide_action, name="proposal_decide"),
]
