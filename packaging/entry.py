"""PyInstaller's entry script: the same ``main`` as the ``relnotebook`` command."""

import sys

from relnotebook.cli import main

if __name__ == "__main__":
    sys.exit(main())
