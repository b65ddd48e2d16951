"""Imports the modules that register further commands on :data:`lgs_cli.cli.app`.

Each module keeps heavy imports inside its command functions, so importing
them here costs next to nothing at start-up.
"""
# One line per command module (several people add lines here concurrently).
# ruff: noqa: I001

from . import cmd_check  # noqa: F401
from . import cmd_new_meeting  # noqa: F401
from . import cmd_reports  # noqa: F401
