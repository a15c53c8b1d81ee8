"""Demand meets supply: listings ranked for a tender and open tenders ranked for a listing,
each match explaining itself. The search engine finds candidates; `scoring` ranks them."""
