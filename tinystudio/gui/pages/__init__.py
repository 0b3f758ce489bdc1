"""One module per step page of the main window."""
