"""Pilot orders and payments: packages, Stripe Connect, milestones, the ledger."""
