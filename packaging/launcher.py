"""Entry script for the bundled application: the same `tinystudio` command as the installed package."""

import sys

from tinystudio.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
