"""SHA-256 in the portal's two forms: of a canonical JSON value (what people signed or approved)
and of a file's bytes (a stored PDF, an uploaded attachment)."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder


def canonical_json(value) -> str:
    """One text for one value: keys sorted, no spaces, Unicode kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


def canonical_hash(value) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def sha256_of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(uploaded) -> str:
    """The SHA-256 of an uploaded (or stored) file, read in chunks; leaves the file at its start."""
    digest = hashlib.sha256()
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return digest.hexdigest()
