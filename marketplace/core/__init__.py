"""The lowest layer: what every package builds on and nothing of any package.

`marketplace.core.module` describes a package as a `Module` the app is given;
`marketplace.core.events` is the outbox of domain events and `marketplace.core.delivery` the
worker that hands them to subscribers. `marketplace.db`, `marketplace.errors`,
`marketplace.settings` and `marketplace.clock` belong to this layer too (they predate the
package and keep their paths); see docs/architecture.md.
"""
