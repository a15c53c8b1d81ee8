"""The modules the marketplace is made of, in the order the app assembles them.

Order is what people see: seeders run (accounts first: it creates the organisations the
others build on) and profile sections appear in this order. `events` comes last so that the
event worker starts once the other modules are ready. A deployment runs every process from
this same list (the event worker routes events to the subscribers it knows).
"""

from __future__ import annotations

from marketplace.accounts.module import module as accounts
from marketplace.core.worker import module as events
from marketplace.funding.module import module as funding
from marketplace.listings.module import module as listings
from marketplace.matching.module import module as matching
from marketplace.notifications.module import module as notifications
from marketplace.payments.module import module as payments
from marketplace.reference.module import module as reference
from marketplace.searching.module import module as searching
from marketplace.standards.module import module as standards
from marketplace.tenders.module import module as tenders
from marketplace.web.module import module as web

ALL = (
    web, accounts, reference, standards, listings, tenders, funding, payments, matching,
    searching, notifications, events,
)  # fmt: skip
