"""`python -m capplan.render.report ARGS` runs `capplan report ARGS`."""

import sys

from capplan.render.report.command import main

sys.exit(main(sys.argv[1:]))
