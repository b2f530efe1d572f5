"""Mention stages: each reads a parsed report and adds one kind of mention."""
