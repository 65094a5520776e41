"""The Textual interface: screens over the same store and domain as the command line."""
