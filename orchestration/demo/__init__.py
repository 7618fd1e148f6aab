"""Deterministic demo consortium: `coopmetrics demo` and the bundled sample."""
