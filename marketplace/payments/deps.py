"""The payments service as a handler dependency, for the API and the pages alike (so the
pages need not import the API)."""

from __future__ import annotations

from litestar.di import NamedDependency

from marketplace.payments.services import Payments

PaymentsService = NamedDependency[Payments]
