"""`python -m rfkit ...`: the `rfkit` command."""

import sys

from .cli import main

sys.exit(main())
