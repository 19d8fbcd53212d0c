"""`python -m portal.plain FILE [FILE...]`: see portal/plain/cli.py."""

import sys

from portal.plain.cli import main

sys.exit(main())
