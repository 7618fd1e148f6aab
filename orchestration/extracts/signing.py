"""Extract manifests are signed (Ed25519, the `cryptography` package), so a
partner can tell an edited manifest from the consortium's: the private key
comes from the environment (COOPMETRICS_SIGNING_KEY, 64 hex digits: the
32-byte seed), the public key is published beside the extracts
(`signing_key.pub.pem`). Demo warehouses may go without one: they are then
signed with a published demo key, and the manifest says so."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNING_KEY_ENV = "COOPMETRICS_SIGNING_KEY"
PUBLIC_KEY_FILE = "signing_key.pub.pem"
SIGNATURE_SUFFIX = ".sig"
DEMO_SEED = hashlib.sha256(b"coopmetrics demo signing key, not for real extracts").digest()


class SigningKeyError(ValueError):
    """COOPMETRICS_SIGNING_KEY is not a usable Ed25519 seed."""


def signing_key() -> tuple[Ed25519PrivateKey, bool]:
    """The private key, and whether it is the demo one."""
    seed = os.environ.get(SIGNING_KEY_ENV)
    if not seed:
        return Ed25519PrivateKey.from_private_bytes(DEMO_SEED), True
    try:
        raw = bytes.fromhex(seed.strip())
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise SigningKeyError(f"{SIGNING_KEY_ENV} must be 64 hex digits (an Ed25519 seed); generate one with "
                              "python -c \"import secrets; print(secrets.token_hex(32))\"")
    return Ed25519PrivateKey.from_private_bytes(raw), False


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def sign_file(key: Ed25519PrivateKey, path: Path) -> Path:
    signature = path.with_name(path.name + SIGNATURE_SUFFIX)
    signature.write_text(key.sign(path.read_bytes()).hex() + "\n", encoding="utf-8")
    return signature


def signature_valid(public_key_pem: bytes, path: Path) -> bool:
    from cryptography.exceptions import InvalidSignature

    key = serialization.load_pem_public_key(public_key_pem)
    if not isinstance(key, Ed25519PublicKey):
        return False
    signature = path.with_name(path.name + SIGNATURE_SUFFIX)
    try:
        key.verify(bytes.fromhex(signature.read_text(encoding="utf-8").strip()), path.read_bytes())
    except (InvalidSignature, ValueError, FileNotFoundError):
        return False
    return True
