"""Widgets of the interface, one a module."""
