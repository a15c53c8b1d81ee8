"""The standards catalogue and cities' commitments as a module of the app."""

from __future__ import annotations

from marketplace.core.module import Module, NavItem
from marketplace.standards import api, events, pages, services

module = Module(
    name="standards",
    handlers=(*api.handlers, *pages.handlers),
    navigation=(NavItem("/standards", "Standards", 50),),
    profile_sections=(pages.commitments_section,),
    events=events.CATALOGUE,
    reference_data=(services.CATALOGUE,),
    requires=("accounts", "listings"),
)
