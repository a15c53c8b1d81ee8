"""The Jinja environment: autoescaped, with each package's `templates/` folder on the path."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_currency
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from marketplace.reference import vocabularies as vocab
from marketplace.web.markdown import render_markdown

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, fmt, tzinfo=value.tzinfo, locale="en_GB")


def _money(value: Any, currency: str = "EUR") -> str:
    if isinstance(value, dict):
        value, currency = value.get("amount"), value.get("currency", currency)
    if value is None or value == "":
        return ""
    return format_currency(Decimal(str(value)), currency, locale="en_GB")


def build_environment() -> Environment:
    packages = sorted(p for p in PACKAGE_ROOT.glob("*/templates") if p.parent.name != "web")
    directories = [PACKAGE_ROOT / "web" / "templates", *packages]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in directories]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = render_markdown
    env.filters["datetime"] = _datetime
    env.filters["money"] = _money
    env.globals["themes"] = vocab.themes
    env.globals["countries"] = vocab.countries
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(build_environment()))
