"""Talking to boards: serial ports, line streams, capture sessions, runner protocol, simulated board."""
