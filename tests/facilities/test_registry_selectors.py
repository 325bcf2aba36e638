"""Registry reads: one facility, filtered lists, referral links and the referral network."""

from __future__ import annotations

import pytest

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import DomainError, NotFound
from jedel.facilities.errors import FacilityError
from jedel.facilities.models import Facility, ReferralLink
from jedel.facilities.selectors import (
    facility_get,
    facility_list,
    facility_referrals,
    referral_link_list,
    referral_network,
)

VIEWER = Principal(label="v", role=Role.VIEWER, scope_level=ScopeLevel.NATIONAL)


def make(region, code: str, kind: str = "city_hospital", **kw) -> Facility:
    return Facility.objects.create(code=code, name_en=f"Hospital {code}", name_kk=kw.pop("name_kk", ""),
                                   kind=kind, region=region, lat=region.admin_center_lat,
                                   lon=region.admin_center_lon, **kw)


@pytest.fixture
def network(kz):
    ala1 = make(kz["KZ-75"], "ALA-1", has_ct=True, name_kk="Алматы ауруханасы")
    ala2 = make(kz["KZ-75"], "ALA-2", kind="burns", has_burns=True)
    ast1 = make(kz["KZ-71"], "AST-1", kind="national_centre", has_ct=True, trauma_level=1)
    shy1 = make(kz["KZ-79"], "SHY-1", active=False)
    ReferralLink.objects.create(source=ala1, target=ala2, specialty="burns")
    ReferralLink.objects.create(source=ala1, target=ast1, specialty="neurosurgery")
    ReferralLink.objects.create(source=shy1, target=ast1, specialty="trauma")
    return kz


def codes(qs) -> list[str]:
    return [f.code for f in qs]


def test_facility_get_returns_it_or_404(network):
    assert facility_get("AST-1", viewer=VIEWER).region.iso_code == "KZ-71"
    with pytest.raises(NotFound) as exc:
        facility_get("NOPE")
    assert (exc.value.code, exc.value.status) == (FacilityError.UNKNOWN_FACILITY, 404)


def test_list_orders_by_region_then_code_and_hides_inactive_by_default(network):
    assert codes(facility_list(viewer=VIEWER)) == ["AST-1", "ALA-1", "ALA-2"]
    assert codes(facility_list(active=None)) == ["AST-1", "ALA-1", "ALA-2", "SHY-1"]
    assert codes(facility_list(active=False)) == ["SHY-1"]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"region_iso": "KZ-75"}, ["ALA-1", "ALA-2"]),
    ({"kind": "burns"}, ["ALA-2"]),
    ({"capability": "ct"}, ["AST-1", "ALA-1"]),
    ({"capability": "ct", "region_iso": "KZ-75"}, ["ALA-1"]),
    ({"search": "ala-"}, ["ALA-1", "ALA-2"]),
    ({"search": "ауруханасы"}, ["ALA-1"]),
])
def test_list_filters(network, filters, expected):
    assert codes(facility_list(**filters)) == expected


@pytest.mark.parametrize(("filters", "code"), [
    ({"region_iso": "KZ-99"}, FacilityError.UNKNOWN_REGION),
    ({"kind": "spa"}, FacilityError.UNKNOWN_KIND),
    ({"capability": "teleport"}, FacilityError.UNKNOWN_CAPABILITY),
])
def test_unknown_filter_values_are_errors_not_empty_lists(network, filters, code):
    with pytest.raises(DomainError) as exc:
        facility_list(**filters)
    assert (exc.value.code, exc.value.status) == (code, 422)


def test_facility_referrals_lists_outgoing_then_incoming(network):
    facility, links = facility_referrals("AST-1")
    assert facility.code == "AST-1"
    assert [(link.source.code, link.target.code, link.specialty) for link in links] == [
        ("ALA-1", "AST-1", "neurosurgery"), ("SHY-1", "AST-1", "trauma")]
    _f, links = facility_referrals("ALA-1")
    assert [link.target.code for link in links] == ["ALA-2", "AST-1"]


def test_referral_link_list_by_source_region(network):
    assert [(link.source.code, link.target.code) for link in referral_link_list(region_iso="KZ-79")] == [
        ("SHY-1", "AST-1")]
    assert len(referral_link_list()) == 3


def test_referral_network_for_a_region_includes_both_ends(network):
    net = referral_network("KZ-71", viewer=VIEWER)
    assert [(e.source, e.target, e.specialty) for e in net.edges] == [
        ("ALA-1", "AST-1", "neurosurgery"), ("SHY-1", "AST-1", "trauma")]
    assert [n.code for n in net.nodes] == ["ALA-1", "AST-1", "SHY-1"]
    ast = net.nodes[1]
    assert (ast.region_iso, ast.kind, ast.trauma_level) == ("KZ-71", "national_centre", 1)
    assert len(referral_network().edges) == 3
