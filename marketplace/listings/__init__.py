"""SME solution listings: outcomes, pricing, conformance claims, references."""
