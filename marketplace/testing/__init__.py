"""Helpers for the test suite and CI that ship with the package."""
