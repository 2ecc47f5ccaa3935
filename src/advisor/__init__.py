"""advisor: API, self-host or hybrid? A decision aid for LLM inference economics."""

__version__ = "0.1.0"
