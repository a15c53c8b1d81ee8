"""Funding calls: city projects seeking investment, funders' profiles, interests and shortlists."""
