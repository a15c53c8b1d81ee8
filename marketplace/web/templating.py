"""The Jinja environment: autoescaped, with each package's `templates/` folder on the path."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, Undefined, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from marketplace import i18n
from marketplace.web import labels, pickers
from marketplace.web.markdown import render_markdown

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _datetime(value: datetime | None, fmt: str = "medium") -> str:
    return i18n.when(value, fmt)


def _money(value: Any, currency: str = "EUR") -> str:
    return i18n.money(value, currency)


def _shown_to(item: Any, actor: Any) -> bool:
    """A header link for this reader (`NavItem.audience`; empty means everyone)."""
    audience: frozenset[str] = getattr(item, "audience", frozenset())
    if not audience:
        return True
    # Error pages render without an actor in their context (a Jinja Undefined).
    if isinstance(actor, Undefined) or actor is None:
        reader: frozenset[str] = frozenset({"anonymous"})
    else:
        reader = actor.audience
    return bool(audience & reader)


def _gettext(message: str) -> str:
    return i18n.translations(i18n.current()).ugettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.translations(i18n.current()).ungettext(singular, plural, n)


class _ProcessBytecodeCache(BytecodeCache):
    """Templates compiled once per process: every app built here (the tests build one per
    test) has an identical environment, and a changed template's checksum differs, so it is
    compiled again."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _ProcessBytecodeCache()


def build_environment() -> Environment:
    packages = sorted(p for p in PACKAGE_ROOT.glob("*/templates") if p.parent.name != "web")
    directories = [PACKAGE_ROOT / "web" / "templates", *packages]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in directories]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_BYTECODE,
    )
    # New-style gettext: `_("%(n)s lots", n=3)` formats and escapes the values itself.
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["number"] = i18n.number
    env.filters["percent"] = i18n.percent
    env.filters["day"] = i18n.day
    env.globals["relative"] = i18n.relative
    env.globals["current_locale"] = i18n.current
    env.globals["locales"] = i18n.LOCALES
    env.globals["shown_to"] = _shown_to
    for name in ("procedure_names", "instrument_names", "interest_statuses", "stage_names",
                 "response_statuses", "currency_options", "buyer_type_names",
                 "notice_kind_names", "nuts_label", "cpv_label"):  # fmt: skip
        env.globals[name] = getattr(labels, name)
    env.filters["markdown"] = render_markdown
    env.filters["datetime"] = _datetime
    env.filters["money"] = _money
    # Also filters, for lists: `codes|map("nuts_label")|join(", ")`.
    env.filters["nuts_label"] = labels.nuts_label
    env.filters["cpv_label"] = labels.cpv_label
    env.globals["themes"] = labels.theme_names
    env.globals["countries"] = labels.country_names
    env.globals["country_groups"] = labels.country_groups
    env.globals["currency_groups"] = labels.currency_groups
    env.globals["picker_chosen"] = pickers.chosen
    env.globals["picker_results"] = pickers.results
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(build_environment()))
