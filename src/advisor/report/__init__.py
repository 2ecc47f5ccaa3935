"""Faces that render a Decision without Textual: text (Rich), Markdown and JSON."""
