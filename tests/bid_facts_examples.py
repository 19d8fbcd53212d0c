"""Can we bid? facts for tests: one example with every fact given, as a buyer would give them."""

EVERY_FACT = {
    "lots": [
        {"number": 1, "title": "Fruit and vegetables", "description": "Fresh produce for 20 kitchens.",
         "value_min": 100_000, "value_max": 150_000, "value_basis": "per-year", "contract_length_months": 36,
         "regions": ["TLI"]},
        {"number": 2, "title": "Bread and bakery", "value_max": 90_000},
        {"number": 3, "title": "Surplus food", "value_min": 5_000, "value_max": 8_000, "value_basis": "per-year"},
    ],
    "max_lots_per_bidder": 2,
    "conditions": {
        "min_turnover": 250_000,
        "insurance": [{"kind": "employers-liability", "amount": 5_000_000},
                      {"kind": "public-liability", "amount": 2_000_000}],
        "accreditations": ["food-hygiene-5", "ofsted"],
        "other_accreditations": "Soil Association organic certification",
        "consortia_welcome": True,
        "may_combine": True,
    },
    "terms": {
        "payment_days": 30, "payment_frequency": "monthly", "e_invoicing": True, "tupe": "unlikely",
        "subcontracting_allowed": True, "small_firm_share": 25, "reserved_for": ["vcse", "sme-or-vcse"],
        "split_for_small_suppliers": True,
    },
    "criteria": [
        {"type": "price", "name": "Price", "weight": 40},
        {"type": "quality", "name": "Quality of food", "description": "Freshness and where it comes from.",
         "weight": 50},
        {"type": "social-value", "name": "Social value", "weight": 10},
    ],
    "social_value": [
        {"outcome": "environment", "wish": "Electric delivery vans within the borough."},
        {"outcome": "jobs-and-skills", "wish": "Two apprenticeships for local young people"},
    ],
}
