"""A package as a `Module` the app is given, instead of a package that registers itself.

Each package exports `module = Module(...)` from its `module.py`: its route handlers, header
links, profile sections, search kinds, the events it publishes, its event subscribers, demo
seeders, CLI commands, the services it provides to other packages and its health checks.
`marketplace.app.create_app(settings, clock, modules)` and the CLI assemble what they are
given (`marketplace.modules.ALL` by default) through `Modules`; nothing happens on import, so
an app can be built from any subset that satisfies `requires` (tests do).

The types here are the extension points; they name no package. Values a package fills in
(an actor, an organisation, the demo network) are typed `Any` on purpose: core sits below
every package and cannot import theirs.
"""

from __future__ import annotations

import argparse
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from marketplace.clock import Clock
from marketplace.core.events import Event, EventType
from marketplace.db import engine_from, session_maker
from marketplace.settings import Settings
from search import SearchDocument

# --- what a module contributes -------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """A link in the site header; `position` orders links across modules."""

    href: str
    label: str
    position: int = 100
    # Who sees the link: empty = everyone; else any of "anonymous", "signed_in", "admin" and
    # the kinds of the reader's organisations ("city", "sme", "funder").
    audience: frozenset[str] = frozenset()


# async (session, actor, kinds of the actor's organisations, now) -> (template, context) | None;
# a module's part of a signed-in person's home page (/home), or None when it has nothing.
HomeSection = Callable[
    [AsyncSession, Any, frozenset[str], datetime], Awaitable[tuple[str, dict[str, Any]] | None]
]
# async (session, actor | None, organisation, now) -> (template, context) | None
ProfileSection = Callable[
    [AsyncSession, Any, Any, datetime], Awaitable[tuple[str, dict[str, Any]] | None]
]
# async (session, demo network, rich progress) -> None; the accounts module's seeder fills
# the network (cities, SMEs, funders, their editors) that the later ones build on.
Seeder = Callable[[AsyncSession, Any, Any], Awaitable[None]]


@dataclass(frozen=True)
class ReferenceData:
    """Data a module loads at `db upgrade` and `reference load`, idempotently (the standards
    catalogue): `load(session)` returns how many rows it added."""

    name: str
    load: Callable[[AsyncSession], Awaitable[int]]


# async (session, ids) -> the public documents among ids; ids=None -> every public document.
Loader = Callable[[AsyncSession, Sequence[str] | None], Awaitable[Sequence[SearchDocument]]]
# async (session, event) -> ids of a kind's records whose documents show what changed.
Finder = Callable[[AsyncSession, Event], Awaitable[Sequence[str]]]


@dataclass(frozen=True)
class SearchKind:
    """A kind of record that search finds: how to load its documents and which events
    change them. The search subscriber re-sends a record when an event in `changed_by`
    names it as subject, and asks `shows[kind]` which records show the subject of an event
    about something else (an organisation's new name, a standard's new title)."""

    name: str  # the documents' `type` ("listing"); also the `?type=` value
    label: str  # plural, for facets ("Solutions")
    path: str  # where a result is shown: "/listings/{id}"
    load: Loader
    # The records' id column: a rebuild lists the ids and loads them in chunks, so loading
    # the next chunk overlaps with the index writing the last one. None: loaded in one go.
    key: Any = None
    changed_by: frozenset[str] = frozenset()
    shows: Mapping[str, Finder] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 40:
            raise ValueError("a search kind's name must be 1 to 40 characters")

    @property
    def kinds(self) -> frozenset[str]:
        """Every event kind this search kind listens to."""
        return self.changed_by | frozenset(self.shows)


class Subscriber(Protocol):
    """Receives events in batches, at least once each; must be idempotent (a batch may be
    delivered again after a crash between handling and acknowledging it).

    `kinds` are the event kinds it wants (None: all, sealed ones included — a subscriber
    that shows anything to people must check `Event.sealed_at(now)`); `transient` are the
    errors that mean "try again later" (an outage: retried without counting against the
    event) rather than "this event cannot be handled" (counted, and after
    `event_max_attempts` the delivery is parked as failed for an operator to look at).
    A subscriber whose events are costly may also say `batch_size` (events per batch, at
    most the worker's): the worker gives every subscriber one batch in turn, so a smaller
    batch is a shorter wait for the others.
    """

    name: str
    kinds: frozenset[str] | None
    transient: tuple[type[BaseException], ...]

    async def handle(
        self,
        events: Sequence[Event],
        sessions: async_sessionmaker[AsyncSession],
        now: datetime,
    ) -> None: ...


@dataclass
class Runtime:
    """What an assembled app or CLI command holds: settings, clock, database, the modules
    and the services they provide (`services["search"]` is the search backend)."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    modules: Modules
    services: dict[str, Any] = field(default_factory=dict)
    subscribers: list[Subscriber] = field(default_factory=list)
    # What startup hooks start and shutdown hooks stop (the in-process event worker).
    state: dict[str, Any] = field(default_factory=dict)

    def service(self, name: str) -> Any:
        try:
            return self.services[name]
        except KeyError:
            raise LookupError(
                f"no module provides the service {name!r}; is its module in the app?"
            ) from None


SubscriberFactory = Callable[[Runtime], Subscriber]
ServiceFactory = Callable[[Runtime], Any]
Hook = Callable[[Runtime], Awaitable[None]]
# async (session, runtime, now) -> "ok" | "degraded"
HealthCheck = Callable[[AsyncSession, Runtime, datetime], Awaitable[str]]


@dataclass(frozen=True)
class CommandContext:
    settings: Settings
    modules: Modules
    console: Console


@dataclass(frozen=True)
class Argument:
    """One `argparse` argument: `Argument(("--if-empty",), {"action": "store_true"})`."""

    flags: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Command:
    """A CLI sub-command, `"group action"` (or a lone word such as `"serve"`)."""

    name: str
    help: str
    run: Callable[[argparse.Namespace, CommandContext], int]
    arguments: Sequence[Argument] = ()


@dataclass(frozen=True)
class Module:
    name: str
    handlers: Sequence[Any] = ()
    navigation: Sequence[NavItem] = ()
    profile_sections: Sequence[ProfileSection] = ()
    home_sections: Sequence[HomeSection] = ()
    search_kinds: Sequence[SearchKind] = ()
    events: Sequence[EventType] = ()  # the catalogue of what this package publishes
    subscribers: Sequence[SubscriberFactory] = ()
    seeders: Sequence[Seeder] = ()
    reference_data: Sequence[ReferenceData] = ()
    commands: Sequence[Command] = ()
    command_groups: Mapping[str, str] = field(default_factory=dict)  # group -> help
    services: Mapping[str, ServiceFactory] = field(default_factory=dict)
    health: Mapping[str, HealthCheck] = field(default_factory=dict)
    on_startup: Sequence[Hook] = ()
    on_shutdown: Sequence[Hook] = ()
    requires: Sequence[str] = ()  # modules this one cannot work without


# --- the assembly ----------------------------------------------------------------------------


class Modules:
    """An ordered, checked list of modules and everything they contribute.

    Order matters where people see it: seeders run and profile sections appear in module
    order; header links follow `NavItem.position`.
    """

    def __init__(self, modules: Iterable[Module]) -> None:
        self.modules: tuple[Module, ...] = tuple(modules)
        names = [m.name for m in self.modules]
        _unique("module", names)
        for module in self.modules:
            missing = [r for r in module.requires if r not in names]
            if missing:
                raise ValueError(f"module {module.name!r} requires {', '.join(missing)}")
        _unique("search kind", [k.name for k in self.search_kinds])
        _unique("event kind", [e.kind for e in self.events])
        _unique("command", [c.name for c in self.commands])
        _unique("service", [s for m in self.modules for s in m.services])
        _unique("health check", [h for m in self.modules for h in m.health])

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def __contains__(self, name: object) -> bool:
        return any(m.name == name for m in self.modules)

    def __len__(self) -> int:
        return len(self.modules)

    def _all(self, attribute: str) -> list[Any]:
        return [item for m in self.modules for item in getattr(m, attribute)]

    @property
    def handlers(self) -> list[Any]:
        return self._all("handlers")

    @property
    def navigation(self) -> list[NavItem]:
        return sorted(self._all("navigation"), key=lambda item: item.position)

    @property
    def profile_sections(self) -> list[ProfileSection]:
        return self._all("profile_sections")

    @property
    def home_sections(self) -> list[HomeSection]:
        return self._all("home_sections")

    @property
    def search_kinds(self) -> list[SearchKind]:
        return self._all("search_kinds")

    @property
    def events(self) -> list[EventType]:
        return self._all("events")

    @property
    def seeders(self) -> list[Seeder]:
        return self._all("seeders")

    @property
    def reference_data(self) -> list[ReferenceData]:
        return self._all("reference_data")

    @property
    def commands(self) -> list[Command]:
        return self._all("commands")

    @property
    def command_groups(self) -> dict[str, str]:
        return {g: h for m in self.modules for g, h in m.command_groups.items()}

    @property
    def subscriber_factories(self) -> list[SubscriberFactory]:
        return self._all("subscribers")

    @property
    def services(self) -> dict[str, ServiceFactory]:
        return {n: f for m in self.modules for n, f in m.services.items()}

    @property
    def health(self) -> dict[str, HealthCheck]:
        return {n: c for m in self.modules for n, c in m.health.items()}

    @property
    def on_startup(self) -> list[Hook]:
        return self._all("on_startup")

    @property
    def on_shutdown(self) -> list[Hook]:
        return self._all("on_shutdown")


def _unique(what: str, names: Sequence[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"two modules declare the {what} {name!r}")
        seen.add(name)


def build_runtime(
    settings: Settings,
    clock: Clock,
    modules: Modules,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
) -> Runtime:
    """Services first (in module order, so a later one may use an earlier one's), then the
    subscribers, which may use any service."""
    runtime = Runtime(settings, clock, engine, sessions, modules)
    for name, factory in modules.services.items():
        runtime.services[name] = factory(runtime)
    runtime.subscribers = [factory(runtime) for factory in modules.subscriber_factories]
    _unique("subscriber", [s.name for s in runtime.subscribers])
    return runtime


@asynccontextmanager
async def open_runtime(
    settings: Settings, modules: Modules, *, clock: Clock | None = None, start: bool = False
) -> AsyncIterator[Runtime]:
    """A runtime outside the web app (CLI commands): its own engine, disposed at the end;
    with `start`, the modules' startup hooks run first and their shutdown hooks at the end
    (always; a command that only reads still closes the services it opened)."""
    engine = engine_from(settings)
    runtime = build_runtime(settings, clock or Clock(), modules, engine, session_maker(engine))
    try:
        if start:
            for hook in modules.on_startup:
                await hook(runtime)
        yield runtime
    finally:
        try:
            for hook in reversed(modules.on_shutdown):
                await hook(runtime)
        finally:
            await engine.dispose()


async def in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[Any]]) -> Any:
    """Run `work` in one transaction on an engine of its own (CLI commands)."""
    engine = engine_from(settings)
    try:
        async with session_maker(engine)() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()
