"""The base of every wire model, and the base64 rules of the Gemini Live dialect."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel


class WireModel(BaseModel):
    """A message or part of one as it travels on the wire.

    Fields are snake_case in Python and camelCase on the wire. Decoding accepts both spellings (the Python
    SDK mixes them, reference §0.4) and ignores unknown fields, so a new server field never breaks a live
    session. Encode with :func:`livetui.providers.gemini.codec.encode`, which writes camelCase and omits unset
    fields.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
    )


_NOT_B64 = re.compile(rb"[^A-Za-z0-9+/=_\-]")


def decode_base64(value: object) -> object:
    """Decode standard or URL-safe base64, padded or not; leave bytes as they are.

    Raises:
        ValueError: the text is not base64 in either alphabet.
    """
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if not isinstance(value, str):
        return value
    raw = value.strip().encode("ascii", "replace")
    if _NOT_B64.search(raw):
        raise ValueError("data is not base64")
    raw = raw.replace(b"-", b"+").replace(b"_", b"/").rstrip(b"=")
    raw += b"=" * (-len(raw) % 4)
    try:
        return base64.b64decode(raw, validate=True)
    except binascii.Error as error:
        raise ValueError(f"data is not base64 ({error})") from None


def encode_base64(value: bytes) -> str:
    """Standard padded base64, as Google's servers and the JS SDK write it."""
    return base64.b64encode(value).decode("ascii")


Base64Bytes = Annotated[
    bytes,
    BeforeValidator(decode_base64),
    PlainSerializer(encode_base64, return_type=str, when_used="json-unless-none"),
]
"""Bytes that travel as base64 text: both alphabets accepted, standard written."""


def parse_duration(value: object) -> object:
    """Read a protobuf duration (``"50s"``, ``"1.5s"``) or a number as seconds."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("s"):
            text = text[:-1]
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"not a duration: {value!r}") from None
    return value


def format_duration(seconds: float) -> str:
    """Write seconds as a protobuf duration string."""
    return f"{seconds:g}s"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str, when_used="json-unless-none"),
]
"""A protobuf duration: ``"50s"`` on the wire, seconds as a float in Python."""
