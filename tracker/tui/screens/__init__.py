"""Screens of the interface, one a module."""
