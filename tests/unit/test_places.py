"""Council areas: finding a local authority by the names people use, the areas a filter covers, and reading the
names a buyer types."""

import pytest

from portal.places import authorities
from portal.places.authorities import UnknownPlaces, codes_for, covered_by, find, mentioned_in
from portal.places.tagging import default_areas, own_area
from portal.models import Organisation


def test_the_list_holds_every_current_uk_local_authority_with_its_region():
    every = authorities.authorities()
    assert len(every) == 397
    assert {a.nation for a in every.values()} == {"England", "Scotland", "Wales", "Northern Ireland"}
    assert every["CMD"].region_code == "TLI" and every["HLD"].region_code == "TLM" and every["CRF"].region_code == "TLL"


@pytest.mark.parametrize("name, code", [
    ("Camden", "CMD"), ("camden", "CMD"), ("London Borough of Camden", "CMD"), ("  KENT county council ", "KEN"),
    ("Caerdydd", "CRF"), ("Greater Manchester Combined Authority", "GMCA"), ("Brighton & Hove", "BNH"),
])
def test_an_authority_is_found_by_any_of_its_names(name, code):
    assert find(name).code == code


@pytest.mark.parametrize("name", ["", "Narnia", "Department for Education", "council", "'; DROP TABLE organisation; --"])
def test_other_names_find_nothing(name):
    assert find(name) is None


def test_places_named_in_a_search_are_found_longest_name_first():
    assert [a.code for a in mentioned_in("home care in Kent")] == ["KEN"]
    assert [a.code for a in mentioned_in("youth work london borough of camden and hackney")] == ["CMD", "HCK"]
    assert mentioned_in("training for older people") == []


def test_a_county_covers_its_districts_and_a_district_is_part_of_its_county():
    kent = covered_by(["KEN"])
    assert {"KEN", "CAT", "DOV"} <= kent and "CMD" not in kent
    assert covered_by(["CAT"]) == {"CAT", "KEN"}
    assert {"GMCA", "MAN", "SLF"} <= covered_by(["GMCA"]) and covered_by(["MAN"]) == {"MAN", "GMCA"}
    assert covered_by(["nonsense"]) == set()


def test_typed_names_become_codes_in_order_once_each():
    assert codes_for(["Camden", " Islington ", "camden", "KEN", ""]) == ["CMD", "ISL", "KEN"]


def test_unknown_names_are_all_reported_with_the_closest_names():
    with pytest.raises(UnknownPlaces) as refused:
        codes_for(["Camdem", "Camden", "Atlantis"])
    assert refused.value.unknown == {"Camdem": ["Camden"], "Atlantis": []}
    assert str(refused.value) == ("We do not know a council called \u201cCamdem\u201d. Did you mean Camden?; "
                                  "We do not know a council called \u201cAtlantis\u201d")


def test_a_councils_items_are_in_its_own_area_and_other_buyers_cover_their_regions():
    assert own_area("Kent County Council") == "KEN" and own_area("Department for Education") is None
    assert default_areas(Organisation(slug="kent", name="Kent County Council", org_type="", region="TLJ",
                                      area_code="KEN")) == ["KEN"]
    assert default_areas(Organisation(slug="dfe", name="DfE", org_type="", region="TLI")) == []


def release(buyer_name: str = "Kent County Council", locality: str = "Maidstone") -> dict:
    return {"parties": [{"id": "b", "name": buyer_name, "roles": ["buyer"], "address": {"locality": locality}}],
            "buyer": {"id": "b"}}


@pytest.mark.parametrize("delivery, buyer, expected", [
    ([{"locality": "Canterbury"}, {"locality": "Dover"}], "Kent County Council", ("CAT", "DOV")),
    ([{"region": "West Midlands"}], "Kent County Council", ("KEN",)),  # a region's name is a region, not the WMCA
    ([{"region": "UK"}], "Leeds Teaching Hospitals NHS Trust", ("MAI",)),  # the buyer's town (Maidstone in release())
    ([], "Department of Nowhere", ("MAI",)),
    ([{"locality": "Atlantis"}], "Kent County Council", ("KEN",)),
])
def test_a_notice_is_tagged_with_the_council_areas_it_names(delivery, buyer, expected):
    from portal.opendata.ocds_mapping import notice_areas

    tender = {"deliveryAddresses": list(delivery)}
    assert notice_areas(release(buyer), tender, [], buyer) == expected


def test_a_notice_naming_no_place_has_no_council_area():
    from portal.opendata.ocds_mapping import notice_areas

    assert notice_areas(release("Department of Nowhere", locality="Nowhere"), {}, [], "Department of Nowhere") == ()
