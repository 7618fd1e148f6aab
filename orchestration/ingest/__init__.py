"""Ingestion: feed files -> validated, pseudonymised, append-only event store."""
