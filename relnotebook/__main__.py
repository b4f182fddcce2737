"""``python -m relnotebook``: the same entry point as the ``relnotebook`` command."""

import sys

from .cli import main

sys.exit(main())
