"""Notifications: in-app inbox, e-mail, preferences, follows, saved searches, feeds and
calendars, all fed by the core outbox of domain events."""
