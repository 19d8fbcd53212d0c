"""How many supplier organisations there are of each size and each legal form, and how many are SMEs or VCSEs.

Size and legal form are counted separately, so a two-person community interest company counts as micro (and
so as an SME) and as a VCSE."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from portal.models import LegalForm, Organisation, OrganisationSize, is_sme, is_vcse


@dataclass(frozen=True)
class SupplierCounts:
    by_size: Counter  # OrganisationSize values, and None for "not given"
    by_legal_form: Counter  # LegalForm values, and None for "not given"
    sme: int
    vcse: int

    def sizes(self) -> list[tuple[str | None, int]]:
        """Every size from micro to large, then "not given", each with its count, zeros included."""
        return [(size, self.by_size[size]) for size in [*OrganisationSize, None]]

    def legal_forms(self) -> list[tuple[str | None, int]]:
        """The legal forms counted at least once, in the order suppliers are asked, then "not given"."""
        return [(form, self.by_legal_form[form]) for form in [*LegalForm, None] if self.by_legal_form[form]]


def count_suppliers(organisations: Iterable[Organisation]) -> SupplierCounts:
    organisations = list(organisations)
    return SupplierCounts(
        by_size=Counter(organisation.size for organisation in organisations),
        by_legal_form=Counter(organisation.legal_form for organisation in organisations),
        sme=sum(is_sme(organisation.size) for organisation in organisations),
        vcse=sum(is_vcse(organisation.legal_form) for organisation in organisations),
    )
