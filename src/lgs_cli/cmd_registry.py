"""Imports the modules that register further commands on :data:`lgs_cli.cli.app`.

Each module keeps heavy imports inside its command functions, so importing
them here costs next to nothing at start-up.
"""
