"""Allow `python -m tinystudio`."""

import sys

from tinystudio.cli.main import main

sys.exit(main())
