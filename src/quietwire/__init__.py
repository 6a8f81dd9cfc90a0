"""QuietWire: intake, desk, verification and publishing for reporters at risk."""

__version__ = "0.1.0"
