"""Secure strings and credentials: ConvertTo/ConvertFrom-SecureString, Get-Credential,
and the PSCredential object New-Object and Get-Credential build.
"""

from __future__ import annotations

from typing import Any

from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.registry import Call, builtin
from pscompat.values import PSObject, SecureString


@builtin("ConvertTo-SecureString", "Microsoft.PowerShell.Commands.ConvertToSecureStringCommand",
         [P("String", "string", position=0, mandatory=True, pipeline=True), P("AsPlainText", "switch"),
          P("Force", "switch"), P("Key", "object"), P("SecureKey", "object")])
def convertto_securestring(call: Call) -> list[Any]:
    text = ps_string(call.get("String"))
    if not call.switch("AsPlainText"):
        raise call.error("ConvertTo-SecureString without -AsPlainText (encrypted standard strings) is not supported "
                         "by pscompat.", "NotSupported", "NotImplemented")
    call.interp.host.add_secret(text)
    return [SecureString(text)]


@builtin("ConvertFrom-SecureString", "Microsoft.PowerShell.Commands.ConvertFromSecureStringCommand",
         [P("SecureString", "object", position=0, mandatory=True, pipeline=True), P("AsPlainText", "switch"),
          P("Key", "object"), P("SecureKey", "object")])
def convertfrom_securestring(call: Call) -> list[Any]:
    value = call.get("SecureString") if call.input is None else call.input[0]
    if not call.switch("AsPlainText"):
        raise call.error("ConvertFrom-SecureString without -AsPlainText (encrypted standard strings) is not "
                         "supported by pscompat.", "NotSupported", "NotImplemented")
    return [value.reveal() if isinstance(value, SecureString) else ps_string(value)]


@builtin("Get-Credential", "Microsoft.PowerShell.Commands.GetCredentialCommand",
         [P("Credential", "object", position=0, aliases=("UserName",)), P("Message", "string"), P("Title", "string")])
def get_credential(call: Call) -> list[Any]:
    from pscompat.script.builtins.credentials import make_credential
    existing = call.get("Credential")
    if isinstance(existing, PSObject):
        return [existing]
    host = call.interp.host
    if call.has("Message"):
        host.write_host(ps_string(call.get("Message")))
    user = ps_string(existing) if existing is not None else host.read_line("User: ")
    password = host.read_secret(f"Password for user {user}: ")
    host.add_secret(password)
    return [make_credential(user, SecureString(password))]


def make_credential(user: Any, password: Any) -> PSObject:
    """``[pscredential]::new($user, $secure)``: UserName + a SecureString Password."""
    secret = password if isinstance(password, SecureString) else SecureString(ps_string(password))
    return PSObject({"UserName": ps_string(user), "Password": secret},
                    type_names=["System.Management.Automation.PSCredential"])
