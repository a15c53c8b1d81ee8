"""The site itself: the home page and the operators' probes."""

from __future__ import annotations

from marketplace import health
from marketplace.core.module import Module, NavItem
from marketplace.web import home, locale

module = Module(
    name="web",
    handlers=(*home.handlers, *health.handlers, *locale.handlers),
    navigation=(NavItem("/home", "My home", 5, frozenset({"signed_in"})),),
)
