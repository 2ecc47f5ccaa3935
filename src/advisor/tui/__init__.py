"""The Textual face of advisor: it edits a profile and renders the core's decision."""
