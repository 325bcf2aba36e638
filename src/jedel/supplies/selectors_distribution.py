"""Reads of distributions, households, feedback and kit proposals.

Distributions, their figures, feedback and proposals carry no personal data and are read by every person
(view_supplies). Households' names and phones are need-to-know: shown only to those who may view beneficiaries
over the distribution (its region's logisticians and regional coordinator), never at national scope (the
Ministry reads figures, not people); everyone else gets the rows with the names blanked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal, allowed
from jedel.accounts.services import require
from jedel.common.errors import NotFound
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import Category, Item, KitVersion
from jedel.supplies.models_distribution import (
    DistributionEvent, FeedbackForm, Handout, Household, KitProposal,
)
from jedel.supplies.permissions import VIEW_BENEFICIARIES, VIEW_SUPPLIES


@dataclass(frozen=True)
class DistributionRow:
    """A distribution with its figures: households served, persons in them, units handed out."""

    event: DistributionEvent
    households: int
    persons: int
    items_given: int


@dataclass(frozen=True)
class GivenLine:
    """Units of one item (of one kit version, for kits) handed out at a distribution."""

    item: Item
    kit_version: KitVersion | None
    quantity: int


@dataclass(frozen=True)
class DistributionView:
    row: DistributionRow
    given: list[GivenLine]
    personal: bool                     # whether households' names and phones are shown to this viewer
    feedback_forms: int
    kit_versions: list[KitVersion] = field(default_factory=list)  # handed out here, for the feedback form


def beneficiaries_allowed(viewer: Principal | None, event: DistributionEvent) -> bool:
    """Names and phones: the viewer may view beneficiaries over the distribution, and is not national."""
    return (viewer is not None and viewer.scope_level != ScopeLevel.NATIONAL
            and allowed(viewer, VIEW_BENEFICIARIES, event))


def _with_figures(qs):  # type: ignore[no-untyped-def]
    # Subqueries, not joins: joining households and handouts at once would multiply one by the other.
    households = (Household.objects.filter(distribution=OuterRef("pk")).values("distribution")
                  .annotate(n=Count("pk"), persons=Sum("size")))
    units = (Handout.objects.filter(distribution=OuterRef("pk")).values("distribution")
             .annotate(units=Sum("quantity")))
    return qs.annotate(
        n_households=Coalesce(Subquery(households.values("n"), output_field=IntegerField()), 0),
        n_persons=Coalesce(Subquery(households.values("persons"), output_field=IntegerField()), 0),
        n_units=Coalesce(Subquery(units.values("units"), output_field=IntegerField()), 0))


def _row(event: DistributionEvent) -> DistributionRow:
    return DistributionRow(event=event, households=event.n_households,  # type: ignore[attr-defined]
                           persons=event.n_persons, items_given=event.n_units)  # type: ignore[attr-defined]


def distribution_list(viewer: Principal | None, *, region_id: int | None = None, warehouse_id: int | None = None,
                      incident_id: int | None = None, open_only: bool = False, limit: int = 200) -> list[DistributionRow]:
    """Distributions, latest first, with their figures."""
    require(viewer, VIEW_SUPPLIES, object_type="distribution")
    qs = DistributionEvent.objects.select_related("warehouse", "region")
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    if incident_id is not None:
        qs = qs.filter(incident_id=incident_id)
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    return [_row(e) for e in _with_figures(qs)[:limit]]


def _event(viewer: Principal | None, distribution_id: int) -> DistributionEvent:
    event = _with_figures(DistributionEvent.objects.select_related("warehouse", "region")
                          .filter(pk=distribution_id)).first()
    if event is None:
        raise NotFound(SupplyError.DISTRIBUTION_NOT_FOUND)
    require(viewer, VIEW_SUPPLIES, event, object_type="distribution", object_id=event.pk)
    return event


def distribution_get(viewer: Principal | None, distribution_id: int) -> DistributionView:
    """One distribution: figures, units given per item (and kit version), whether names are shown."""
    event = _event(viewer, distribution_id)
    totals = (Handout.objects.filter(distribution=event).values("item_id", "kit_version_id")
              .annotate(units=Sum("quantity")).order_by("item_id", "kit_version_id"))
    items = {i.pk: i for i in Item.objects.filter(pk__in={t["item_id"] for t in totals})}
    versions = {v.pk: v for v in KitVersion.objects.select_related("kit")
                .filter(pk__in={t["kit_version_id"] for t in totals if t["kit_version_id"]})}
    given = sorted((GivenLine(items[t["item_id"]], versions.get(t["kit_version_id"]), t["units"]) for t in totals),
                   key=lambda g: (g.item.code, g.kit_version.number if g.kit_version else 0))
    return DistributionView(row=_row(event), given=given, personal=beneficiaries_allowed(viewer, event),
                            feedback_forms=FeedbackForm.objects.filter(distribution=event).count(),
                            kit_versions=sorted(versions.values(), key=lambda v: (v.kit.code, v.number)))


def household_list(viewer: Principal | None, distribution_id: int) -> tuple[list[Household], bool]:
    """The households served, by reference, and whether their names and phones are shown (blank otherwise)."""
    event = _event(viewer, distribution_id)
    personal = beneficiaries_allowed(viewer, event)
    rows = list(Household.objects.filter(distribution=event).order_by("reference"))
    if not personal:
        for household in rows:
            household.head_name = ""
            household.phone = ""
    return rows, personal


def feedback_list(viewer: Principal | None, distribution_id: int, *, limit: int = 500) -> list[FeedbackForm]:
    """The feedback forms of a distribution, newest first, with their answers and the household's reference."""
    event = _event(viewer, distribution_id)
    return list(FeedbackForm.objects.filter(distribution=event)
                .select_related("kit_version", "kit_version__kit", "household")
                .prefetch_related("answers__item").order_by("-submitted_at", "-pk")[:limit])


@dataclass(frozen=True)
class KitFeedback:
    """The aggregated feedback on one kit version: forms counted, and one summary per item (core dataclasses)."""

    version: KitVersion
    forms: int
    summaries: list  # list[jedel.core.supplies.ComponentSummary]
    items: dict[str, Item]  # item code -> item, for names


def kit_feedback(viewer: Principal | None, kit_version_id: int) -> KitFeedback:
    """Per component (and per item asked for as missing), the counts and shares of the feedback on a version."""
    from jedel.supplies import engines

    require(viewer, VIEW_SUPPLIES, object_type="kit_version", object_id=kit_version_id)
    version = KitVersion.objects.select_related("kit").filter(pk=kit_version_id).first()
    if version is None:
        raise NotFound(SupplyError.KIT_VERSION_NOT_FOUND)
    summaries = engines.feedback_summary(version.pk)
    items = {i.code: i for i in Item.objects.filter(code__in=[s.item_code for s in summaries])}
    return KitFeedback(version=version, forms=FeedbackForm.objects.filter(kit_version=version).count(),
                       summaries=summaries, items=items)


def proposal_list(viewer: Principal | None, *, kit_id: int | None = None, kit_version_id: int | None = None,
                  status: str | None = None, limit: int = 200) -> list[KitProposal]:
    """Kit proposals, newest first."""
    require(viewer, VIEW_SUPPLIES, object_type="kit_proposal")
    qs = KitProposal.objects.select_related("base", "base__kit", "result")
    if kit_id is not None:
        qs = qs.filter(base__kit_id=kit_id)
    if kit_version_id is not None:
        qs = qs.filter(base_id=kit_version_id)
    if status:
        qs = qs.filter(status=status)
    return list(qs[:limit])


def proposal_get(viewer: Principal | None, proposal_id: int) -> KitProposal:
    require(viewer, VIEW_SUPPLIES, object_type="kit_proposal", object_id=proposal_id)
    proposal = KitProposal.objects.select_related("base", "base__kit", "result").filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(SupplyError.PROPOSAL_NOT_FOUND)
    return proposal


def kit_get(viewer: Principal | None, kit_id: int) -> tuple[Item, list[KitVersion]]:
    """A kit item and its versions, newest first, with their components."""
    require(viewer, VIEW_SUPPLIES, object_type="kit", object_id=kit_id)
    kit = Item.objects.filter(pk=kit_id, category=Category.KIT).first()
    if kit is None:
        raise NotFound(SupplyError.ITEM_NOT_FOUND)
    versions = list(KitVersion.objects.filter(kit=kit).prefetch_related("components__item").order_by("-number"))
    return kit, versions


def incident_choices(viewer: Principal | None, *, limit: int = 50) -> list[tuple[int, str]]:
    """Incidents not closed (exercises left out), latest first, to link a distribution to (id, title)."""
    require(viewer, VIEW_SUPPLIES, object_type="incident")
    # Read through the foreign key's model: supplies imports nothing from the incidents app.
    incident_model = DistributionEvent._meta.get_field("incident").related_model
    return list(incident_model.objects.filter(closed_at__isnull=True, is_exercise=False)  # type: ignore[union-attr]
                .order_by("-declared_at").values_list("pk", "title")[:limit])
