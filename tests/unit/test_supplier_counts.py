"""SME follows from size and VCSE from legal form; the two are counted apart."""

import pytest

from portal.forms.accounts import LEGAL_FORM_HINTS, SIZE_HINTS
from portal.models import LegalForm, Organisation, OrganisationSize, is_sme, is_vcse
from portal.presenters import LEGAL_FORM_LABELS, SIZE_LABELS, legal_form, organisation_size
from portal.services.supplier_counts import count_suppliers


@pytest.mark.parametrize("size, sme", [
    ("micro", True), ("small", True), ("medium", True), ("large", False), (None, False), ("", False),
])
def test_micro_small_and_medium_sized_organisations_are_smes(size, sme):
    assert is_sme(size) is sme


@pytest.mark.parametrize("form, vcse", [
    ("community-interest-company", True), ("charity", True), ("charitable-incorporated-organisation", True),
    ("co-operative", True), ("mutual", True), ("community-group", True),
    ("company", False), ("sole-trader", False), ("other", False), (None, False), ("social-enterprise", False),
])
def test_vcse_follows_from_legal_form(form, vcse):
    assert is_vcse(form) is vcse


def test_every_size_and_legal_form_has_one_label_and_one_hint():
    assert list(SIZE_LABELS) == list(SIZE_HINTS) == list(OrganisationSize)
    assert list(LEGAL_FORM_LABELS) == list(LEGAL_FORM_HINTS) == list(LegalForm)


def test_a_size_or_legal_form_not_given_reads_as_not_given():
    assert (organisation_size(None), organisation_size("medium")) == ("Size not given", "Medium-sized")
    assert (legal_form(None), legal_form("charitable-incorporated-organisation")) == (
        "Type not given", "Charitable incorporated organisation (CIO)")


def test_a_two_person_cic_counts_as_micro_as_an_sme_and_as_a_vcse():
    counts = count_suppliers([Organisation(size="micro", legal_form="community-interest-company")])
    assert counts.sizes() == [("micro", 1), ("small", 0), ("medium", 0), ("large", 0), (None, 0)]
    assert counts.legal_forms() == [("community-interest-company", 1)]
    assert (counts.sme, counts.vcse) == (1, 1)


def test_counts_keep_not_given_apart_and_list_legal_forms_in_the_order_asked():
    counts = count_suppliers([
        Organisation(size="large", legal_form="charity"), Organisation(size=None, legal_form="sole-trader"),
        Organisation(size="small", legal_form=None), Organisation(size="small", legal_form="company"),
    ])
    assert counts.sizes() == [("micro", 0), ("small", 2), ("medium", 0), ("large", 1), (None, 1)]
    assert counts.legal_forms() == [("company", 1), ("charity", 1), ("sole-trader", 1), (None, 1)]
    assert (counts.sme, counts.vcse) == (2, 1), "a large charity is a VCSE but not an SME"
