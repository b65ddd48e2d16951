"""lgs: the minutes archive of Ledningsgrupp för samordning as something to act on."""

__version__ = "0.1.0"
