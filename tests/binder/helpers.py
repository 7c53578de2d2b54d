"""Helpers for binder tests: bind argv to the committed seed cmdlets without a terminal."""

from __future__ import annotations

import pytest

from pscompat.binder import BoundInvocation, CommandBinder, argv_to_arguments
from pscompat.errors import ErrorRecord
from pscompat.model import load_cmdlet

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"
PNP = "New-PnPAzureADUserTemporaryAccessPass"
PNP_NAME = "New-PnPEntraIDUserTemporaryAccessPass"
MG_TYPE = "New-MgUserAuthenticationTemporaryAccessPassMethod"
PNP_TYPE = "PnP.PowerShell.Commands.EntraID.NewAzureADUserTemporaryAccessPass"


def bind(name: str, *argv: str, strict: bool = False, expect_input: bool = False) -> BoundInvocation:
    binder = CommandBinder(load_cmdlet(name), interactive=False, strict=strict)
    binder.bind_arguments(argv_to_arguments(list(argv)))
    return binder.finish(expect_input=expect_input)


def bind_error(name: str, *argv: str, strict: bool = False) -> ErrorRecord:
    with pytest.raises(ErrorRecord) as info:
        bind(name, *argv, strict=strict)
    return info.value
