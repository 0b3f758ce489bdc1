"""Boards you can build for and flash: one module per way of building and flashing."""
