"""The rfkit exception family: one base class, a few subclasses by what failed."""

__all__ = [
    "FormatError",
    "MetadataError",
    "ParameterError",
    "RfkitError",
    "SourceError",
]


class RfkitError(Exception):
    """Base class of every error rfkit raises on purpose."""


class ParameterError(RfkitError, ValueError):
    """A parameter has a value outside what is allowed."""


class FormatError(RfkitError):
    """A file cannot be read: missing, empty, truncated, or of an unsupported format."""


class MetadataError(RfkitError):
    """Metadata is missing or inconsistent (no sample rate, broken SigMF JSON, ...)."""


class SourceError(RfkitError):
    """A live source failed or went away (dongle unplugged, rtl_tcp peer hung up)."""
