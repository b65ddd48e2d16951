"""The values of the report options (``--sort``, ``--group-by``, open/closed/all).

One definition for the queries (:mod:`lgs_cli.reports`) and the command line
(:mod:`lgs_cli.cmd_reports`, which needs them when its commands are registered,
before anything heavy is imported): standard library only.
"""

from __future__ import annotations

from enum import StrEnum


class ActionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"


class ActionSort(StrEnum):
    DUE = "due"
    ID = "id"
    OWNER = "owner"
    AGE = "age"
    MEETING = "meeting"


class ActionGroup(StrEnum):
    OWNER = "owner"
    ORG = "org"
    MEETING = "meeting"
