"""Helpers for the tests (personas, factories, journeys): never imported by the application."""
