"""Open data: OCDS release packages, CSV and the JSON API out; Contracts Finder and Find a Tender notices in."""
