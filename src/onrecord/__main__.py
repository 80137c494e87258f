"""`python -m onrecord`: the same as the `onrecord` command."""

import sys

from onrecord.cli import main

sys.exit(main())
