"""Command-line front end: one module per subcommand (cmd_*.py), dispatched by main.py."""
