"""Pseudonymisation: the secret (the pepper) a feed is hashed with, the HMAC
pads the session macros of `sql/macros.sql` read, and the pepper's
fingerprint (an HMAC of a fixed label, never the pepper itself) by which a
warehouse recognises the pepper it was built with."""

from __future__ import annotations

import hashlib
import hmac
import os

import duckdb

from orchestration.core.registry import Feed
from orchestration.core.settings import PEPPER_ENV

DEMO_PEPPER = "coopmetrics-demo-pepper-not-for-real-data"

FINGERPRINT_LABEL = b"coopmetrics pepper fingerprint v1"


class PepperMissing(RuntimeError):
    """A real (non-demo) feed cannot be pseudonymised without the secret."""


def run_pepper() -> str:
    """The pepper of this run: COOPMETRICS_PEPPER, else the demo secret."""
    return os.environ.get(PEPPER_ENV) or DEMO_PEPPER


def pepper_for(feed: Feed) -> str:
    """The HMAC secret for a feed: COOPMETRICS_PEPPER, or the demo default
    for feeds the registry marks as demo data."""
    pepper = os.environ.get(PEPPER_ENV)
    if pepper:
        return pepper
    if feed.demo:
        return DEMO_PEPPER
    raise PepperMissing(
        f"feed {feed.org_id} is not demo data and {PEPPER_ENV} is not set: refusing to ingest it, "
        f"since e-mail addresses could not be pseudonymised with a secret. Set {PEPPER_ENV} (see .env.example)."
    )


def fingerprint(pepper: str) -> str:
    return hmac.new(pepper.encode("utf-8"), FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def hmac_pads(pepper: str) -> tuple[bytes, bytes]:
    """The inner and outer HMAC-SHA256 key pads (RFC 2104) for the pepper."""
    key = pepper.encode("utf-8")
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def set_pepper(con: duckdb.DuckDBPyConnection, pepper: str) -> None:
    ipad, opad = hmac_pads(pepper)
    con.execute("SET VARIABLE pepper_ipad = $pad", {"pad": ipad})
    con.execute("SET VARIABLE pepper_opad = $pad", {"pad": opad})
