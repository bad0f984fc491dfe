"""Presentation: turn domain objects into messages and files; no queries here."""
