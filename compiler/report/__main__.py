"""`python -m capplan.report ARGS` runs `capplan report ARGS`."""

import sys

from .command import main

sys.exit(main(sys.argv[1:]))
