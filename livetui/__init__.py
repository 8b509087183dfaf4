"""livetui: a terminal client for live, multimodal model sessions."""

__version__ = "0.1.0"
