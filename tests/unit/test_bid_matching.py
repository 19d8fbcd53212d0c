"""How a supplier's profile meets an opportunity's "can we bid?" conditions: each condition met, not met and not
known, and which advice comes with each."""

from types import SimpleNamespace

import pytest

from portal.bidding.facts import BidFacts
from portal.bidding.matching import Link, Status, and_list, how_you_match
from portal.bidding.summary import can_we_bid


def organisation(**overrides):
    values = dict(size="micro", legal_form="community-interest-company", regions_served=["TLI"], turnover_band=None,
                  staff_count=None, insurance=[], accreditations=[], joins_consortia=None)
    return SimpleNamespace(**{**values, **overrides})


def opportunity(**overrides):
    values = dict(region_codes=[], suitable_for_sme=False, suitable_for_vcse=False, value_min=100_000,
                  value_max=200_000, value_basis="total", contract_length_months=24)
    return SimpleNamespace(**{**values, **overrides})


def facts(**data) -> BidFacts:
    return BidFacts.model_validate(data)


def only(results, condition):
    found = [r for r in results if r.condition == condition]
    assert len(found) == 1, [r.condition for r in results]
    return found[0]


def advice_texts(result) -> list[str]:
    return [a.text for a in result.advice]


def test_no_facts_and_no_regions_give_nothing_to_compare():
    assert how_you_match(BidFacts(), opportunity(), organisation()) == []


# Where the work is

def test_region_met_not_met_and_unknown():
    item = opportunity(region_codes=["TLI", "TLJ"])
    met = only(how_you_match(BidFacts(), item, organisation(regions_served=["TLJ"])), "Where the work is")
    assert met.status == Status.MET
    assert met.sentence == "The work is in London and South East, and you told us you work in South East."
    not_met = only(how_you_match(BidFacts(), item, organisation(regions_served=["TLM"])), "Where the work is")
    assert not_met.status == Status.NOT_MET
    assert not_met.sentence == "The work is in London and South East. You told us you work in Scotland."
    assert not_met.advice[0].link == Link.BIDDING_TOGETHER
    unknown = only(how_you_match(BidFacts(), item, organisation(regions_served=[])), "Where the work is")
    assert unknown.status == Status.UNKNOWN
    assert [a.link for a in unknown.advice] == [Link.PROFILE]


def test_lot_regions_are_compared_instead_of_the_opportunity_regions():
    lots = facts(lots=[{"number": 1, "title": "North", "regions": ["TLC"]},
                       {"number": 2, "title": "London", "regions": ["TLI"]}])
    result = only(how_you_match(lots, opportunity(region_codes=["TLM"]), organisation(regions_served=["TLI"])),
                  "Where the work is")
    assert result.status == Status.MET
    assert result.sentence == "You work in London, where lot 2 is to be done."
    away = only(how_you_match(lots, opportunity(), organisation(regions_served=["TLM"])), "Where the work is")
    assert away.status == Status.NOT_MET


# Turnover against a band

@pytest.mark.parametrize("band, status", [
    ("2m-10m", Status.MET),  # wholly above £1 million
    ("over-50m", Status.MET),
    ("100k-500k", Status.NOT_MET),  # wholly below
    ("under-100k", Status.NOT_MET),
    ("500k-2m", Status.UNKNOWN),  # straddles £1 million
    (None, Status.UNKNOWN),
])
def test_turnover_band_against_the_minimum(band, status):
    result = only(how_you_match(facts(conditions={"min_turnover": 1_000_000}), opportunity(),
                                organisation(turnover_band=band)), "Turnover")
    assert result.status == status
    assert result.sentence.startswith("This needs a yearly turnover of at least £1 million.")


def test_a_band_whose_lowest_figure_is_the_minimum_meets_it():
    result = only(how_you_match(facts(conditions={"min_turnover": 2_000_000}), opportunity(),
                                organisation(turnover_band="2m-10m")), "Turnover")
    assert result.status == Status.MET


def test_a_straddling_band_says_why_it_cannot_tell():
    result = only(how_you_match(facts(conditions={"min_turnover": 1_000_000}), opportunity(),
                                organisation(turnover_band="500k-2m")), "Turnover")
    assert result.sentence == ("This needs a yearly turnover of at least £1 million. You told us yours is "
                               "£500,000 to £1,999,999, so yours may or may not be enough: check your last accounts.")


def test_turnover_not_told_asks_for_it_on_the_profile():
    result = only(how_you_match(facts(conditions={"min_turnover": 500_000}), opportunity(), organisation()), "Turnover")
    assert result.sentence == "This needs a yearly turnover of at least £500,000. You have not told us your turnover."
    assert [a.link for a in result.advice] == [Link.PROFILE]


# Advice when a condition is not met

def unmet_turnover(org=None, **data):
    return only(how_you_match(facts(conditions={"min_turnover": 5_000_000, **data.pop("conditions", {})}, **data),
                              opportunity(), org or organisation(turnover_band="under-100k")), "Turnover")


def test_with_no_way_round_the_advice_is_only_the_guide():
    result = unmet_turnover()
    assert result.status == Status.NOT_MET
    assert [a.link for a in result.advice] == [Link.BIDDING_TOGETHER]


def test_consortia_welcome_suggests_bidding_together():
    result = unmet_turnover(conditions={"consortia_welcome": True})
    assert advice_texts(result)[0] == "Bid together with other organisations: the buyer welcomes bids from groups of organisations."
    combined = unmet_turnover(conditions={"may_combine": True})
    assert advice_texts(combined)[0] == "Bid together with other organisations: the buyer says a group may meet the conditions together."


def test_a_supplier_who_would_not_join_a_group_is_told_what_that_means():
    result = unmet_turnover(organisation(turnover_band="under-100k", joins_consortia=False),
                            conditions={"consortia_welcome": True})
    assert advice_texts(result)[0].startswith("You told us you would not bid as part of a group, but the buyer welcomes")


def test_subcontracting_and_a_share_for_small_firms_suggest_working_for_the_winner():
    allowed = unmet_turnover(terms={"subcontracting_allowed": True})
    assert advice_texts(allowed)[0] == ("Offer to work for the winning supplier as a subcontractor: the buyer allows "
                                        "subcontracting.")
    share = unmet_turnover(terms={"subcontracting_allowed": True, "small_firm_share": 25})
    assert "wants 25% of the value to go to small firms and VCSEs" in advice_texts(share)[0]
    assert share.advice[-1].link == Link.BIDDING_TOGETHER


def test_a_met_condition_has_no_advice():
    result = only(how_you_match(facts(conditions={"min_turnover": 50_000, "consortia_welcome": True}), opportunity(),
                                organisation(turnover_band="100k-500k")), "Turnover")
    assert result.status == Status.MET and result.advice == ()


# Insurance

def test_each_insurance_kind_met_not_met_and_unknown():
    asked = facts(conditions={"insurance": [
        {"kind": "public-liability", "amount": 5_000_000}, {"kind": "employers-liability", "amount": 5_000_000},
        {"kind": "professional-indemnity", "amount": 1_000_000}]})
    held = organisation(insurance=[{"kind": "public-liability", "amount": 2_000_000},
                                   {"kind": "employers-liability", "amount": 10_000_000}])
    results = how_you_match(asked, opportunity(), held)
    public = only(results, "Public liability insurance")
    assert public.status == Status.NOT_MET
    assert public.sentence == ("This needs £5 million public liability insurance; you told us you hold £2 million.")
    assert "Ask your insurer or broker" in advice_texts(public)[0]
    assert only(results, "Employer's liability insurance").status == Status.MET
    indemnity = only(results, "Professional indemnity insurance")
    assert indemnity.status == Status.UNKNOWN
    assert indemnity.advice[0].link == Link.PROFILE


def test_insurance_of_exactly_the_level_asked_meets_it():
    asked = facts(conditions={"insurance": [{"kind": "public-liability", "amount": 5_000_000}]})
    held = organisation(insurance=[{"kind": "public-liability", "amount": 5_000_000}])
    assert only(how_you_match(asked, opportunity(), held), "Public liability insurance").status == Status.MET


# Accreditations

def test_each_accreditation_met_not_met_and_unknown():
    asked = facts(conditions={"accreditations": ["cyber-essentials", "enhanced-dbs"],
                              "other_accreditations": "A current first aid certificate"})
    results = how_you_match(asked, opportunity(), organisation(accreditations=["cyber-essentials"]))
    assert only(results, "Cyber Essentials").status == Status.MET
    dbs = only(results, "Enhanced DBS checks for staff")
    assert dbs.status == Status.NOT_MET
    assert dbs.sentence.startswith("This needs: Enhanced DBS checks for staff (criminal record checks")
    other = only(results, "Other things the buyer asks for")
    assert other.status == Status.UNKNOWN and "A current first aid certificate" in other.sentence
    none_told = how_you_match(asked, opportunity(), organisation(accreditations=[]))
    assert only(none_told, "Cyber Essentials").status == Status.UNKNOWN
    assert only(none_told, "Cyber Essentials").advice[0].link == Link.PROFILE


# Reserved contracts

@pytest.mark.parametrize("reserved, size, legal_form, status", [
    (["vcse"], "micro", "community-interest-company", Status.MET),
    (["vcse"], "micro", "company", Status.NOT_MET),
    (["vcse"], "micro", None, Status.UNKNOWN),
    (["sme-or-vcse"], "small", "company", Status.MET),
    (["sme-or-vcse"], "large", "charity", Status.MET),
    (["sme-or-vcse"], "large", "company", Status.NOT_MET),
    (["sme-or-vcse"], None, "company", Status.UNKNOWN),
    (["supported-employment"], "micro", "community-interest-company", Status.UNKNOWN),
    (["public-service-mutual"], "small", "mutual", Status.MET),
    (["public-service-mutual"], "small", "company", Status.UNKNOWN),
    (["vcse", "supported-employment"], "small", "company", Status.UNKNOWN),
])
def test_reserved_contracts(reserved, size, legal_form, status):
    result = only(how_you_match(facts(terms={"reserved_for": reserved}), opportunity(),
                                organisation(size=size, legal_form=legal_form)), "Who may bid")
    assert result.status == status


def test_a_reserved_contract_a_supplier_cannot_lead_points_to_subcontracting():
    result = only(how_you_match(facts(terms={"reserved_for": ["vcse"], "subcontracting_allowed": True}), opportunity(),
                                organisation(size="large", legal_form="company")), "Who may bid")
    assert result.sentence == ("Only voluntary, community and social enterprise organisations (VCSEs) may bid. From "
                               "your profile, you do not count as any of these.")
    assert "the winner may subcontract work to you" in advice_texts(result)[0]


def test_suitability_is_a_plus_and_never_a_condition():
    flagged = opportunity(suitable_for_vcse=True, suitable_for_sme=True)
    assert only(how_you_match(BidFacts(), flagged, organisation()), "Suitable for").status == Status.MET
    large = organisation(size="large", legal_form="company")
    assert how_you_match(BidFacts(), flagged, large) == []


# Consortium

def test_consortium_answers():
    welcome = facts(conditions={"consortia_welcome": True, "min_turnover": 5_000_000})
    yes = only(how_you_match(welcome, opportunity(), organisation(joins_consortia=True)), "Bidding as a group")
    assert yes.status == Status.MET
    unsure = only(how_you_match(welcome, opportunity(), organisation()), "Bidding as a group")
    assert unsure.status == Status.UNKNOWN and unsure.advice[0].link == Link.PROFILE
    no = only(how_you_match(welcome, opportunity(), organisation(joins_consortia=False, turnover_band="under-100k")),
              "Bidding as a group")
    assert no.status == Status.NOT_MET
    assert no.sentence.endswith("so you would need to meet every condition alone, and there is 1 you do not meet yet.")
    fits_alone = how_you_match(welcome, opportunity(), organisation(joins_consortia=False, turnover_band="over-50m"))
    assert [r.condition for r in fits_alone] == ["Turnover"]


def test_no_consortium_result_when_groups_are_not_welcome():
    results = how_you_match(facts(conditions={"consortia_welcome": False}), opportunity(), organisation())
    assert results == []


def test_results_come_in_the_page_order():
    everything = facts(conditions={"min_turnover": 100_000, "consortia_welcome": True, "accreditations": ["cqc"],
                                   "insurance": [{"kind": "public-liability", "amount": 1_000_000}]},
                       terms={"reserved_for": ["vcse"]})
    results = how_you_match(everything, opportunity(region_codes=["TLI"], suitable_for_vcse=True), organisation())
    assert [r.condition for r in results] == [
        "Where the work is", "Who may bid", "Suitable for", "Turnover", "Public liability insurance",
        "Registered with the Care Quality Commission (CQC)", "Bidding as a group"]
    assert all(r.status_label for r in results)


def test_and_list():
    assert [and_list([]), and_list(["a"]), and_list(["a", "b"]), and_list(["a", "b", "c"])] == [
        "", "a", "a and b", "a, b and c"]


# The facts as the page lists them

def test_summary_of_no_facts_is_the_value_and_one_line():
    summary = can_we_bid(opportunity(), BidFacts())
    assert summary.empty
    assert [(row.key, row.lines) for row in summary.rows] == [("Value", ("£100,000 to £200,000 in total",))]


def test_summary_lists_given_facts_in_order_and_gathers_what_is_not_said():
    summary = can_we_bid(opportunity(), facts(
        lots=[{"number": 2, "title": "South", "value_min": 50_000, "value_max": 50_000, "value_basis": "per-year",
               "contract_length_months": 36, "regions": ["TLJ"]},
              {"number": 1, "title": "North"}],
        max_lots_per_bidder=1,
        conditions={"min_turnover": 250_000, "insurance": [{"kind": "public-liability", "amount": 5_000_000}]},
        terms={"payment_days": 30, "tupe": "unlikely"},
    ))
    assert [row.key for row in summary.rows] == [
        "Value", "Lots (2)", "How many lots you may bid for", "Minimum yearly turnover", "Insurance", "Payment",
        "Staff moving to the new supplier (TUPE)"]
    lots = summary.rows[1].lots
    assert [lot.number for lot in lots] == [1, 2]
    assert lots[1].value == "£50,000 a year (£150,000 in total over 3 years)"
    assert lots[1].length == "3 years" and lots[1].where == "South East"
    assert lots[0].value == "Not stated"
    assert summary.rows[2].lines == ("Up to 1 of the 2 lots",)
    assert summary.not_said_sentence == (
        "The buyer has not said yet the registrations or certificates bidders need, whether groups may bid, whether "
        "invoices can be sent electronically, whether subcontracting is allowed, whether the work is split to suit small "
        "suppliers, how bids will be judged and what social value it asks for.")
