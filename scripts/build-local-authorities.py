"""Write portal/reference_data/uk_local_authorities.csv from mySociety's list of UK local authorities (the copy in
../shared/data/regions/, or a path given as the first argument): the authorities current today, with the ITL1 region
each lies in, the county or combined authority it belongs to, and the other names people use for it."""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/regions/uk_local_authorities_future.csv"
TARGET = ROOT / "portal/reference_data/uk_local_authorities.csv"
FIELDS = ["code", "name", "official_name", "gss_code", "nation", "region_code", "kind", "county", "combined_authority",
          "other_names"]


def main() -> None:
    with (ROOT / "portal/reference_data/uk_nuts1_itl1.csv").open(encoding="utf-8") as f:
        regions = {row["name"].lower(): row["itl1_code"] for row in csv.DictReader(f)}
    with SOURCE.open(encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["current-authority"] == "True"]
    with TARGET.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: r["nice-name"].lower()):
            name = row["nice-name"]
            others = sorted({n.strip() for n in [row["official-name"], *row["alt-names"].split(",")]
                             if n.strip() and n.strip().lower() != name.lower()}, key=str.lower)
            others = list({n.lower(): n for n in others}.values())  # one spelling of each, whatever its case
            writer.writerow({
                "code": row["local-authority-code"], "name": name, "official_name": row["official-name"],
                "gss_code": row["gss-code"], "nation": row["nation"], "region_code": regions[row["region"].lower()],
                "kind": row["local-authority-type-name"], "county": row["county-la"],
                "combined_authority": row["combined-authority"], "other_names": "|".join(others),
            })
    print(f"{len(rows)} local authorities written to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
