"""Checks at every stage, as Dagster asset checks."""
