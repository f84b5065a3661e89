"""rfkit: find and characterise jamming and interference in radio spectrum."""

from .dsp import Psd, SpectrumSettings, Waterfall, psd, waterfall
from .errors import FormatError, MetadataError, ParameterError, RfkitError, SourceError
from .detection.api import detect
from .io import Capture, CaptureInfo
from .io import open as open  # noqa: PLC0414 - rfkit.open is the front door

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "open",
    "detect",
    "Capture",
    "CaptureInfo",
    "RfkitError",
    "ParameterError",
    "FormatError",
    "MetadataError",
    "SourceError",
    "psd",
    "waterfall",
    "Psd",
    "Waterfall",
    "SpectrumSettings",
]
