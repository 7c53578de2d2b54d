"""Get-Help text: layout, errata-corrected data, -Full/-Examples/-Parameter, and `pscompat help`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from pscompat.cli import group
from pscompat.docs.commands import parse_help_args
from pscompat.docs.help import render_help
from pscompat.errors import ErrorRecord
from pscompat.model import load_paramsets

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"
PNP = "New-PnPAzureADUserTemporaryAccessPass"


def sections(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith(" ")]


def test_default_view_layout() -> None:
    text = render_help(MG, width=100)
    assert sections(text) == ["NAME", "SYNOPSIS", "SYNTAX", "DESCRIPTION", "RELATED LINKS", "REMARKS"]
    assert text.startswith("\nNAME\n    " + MG + "\n\nSYNOPSIS\n    Create a new temporaryAccessPassAuthenticationMethod")
    syntax = text.split("SYNTAX\n")[1].split("DESCRIPTION")[0]
    blocks = [b for b in syntax.split("\n\n") if b.strip()]
    assert len(blocks) == 4  # one per parameter set, in the doc's order
    assert blocks[0].startswith(f"    {MG} -UserId <String>")
    assert all(" ".join(b.split()).endswith("[-WhatIf] [-Confirm] [<CommonParameters>]") for b in blocks)
    assert all(len(line) < 100 for line in syntax.splitlines())
    assert f'To see the examples, type: "pscompat help {MG} -Examples".' in text
    assert "PARAMETERS" not in text


def test_pnp_help_shows_the_corrected_syntax_under_the_current_name() -> None:
    text = render_help(PNP, width=400)
    assert "\nNAME\n    New-PnPEntraIDUserTemporaryAccessPass\n" in text
    assert ("    New-PnPEntraIDUserTemporaryAccessPass -Identity <EntraIDUserPipeBind> [-StartDateTime <DateTime>] "
            "[-LifeTimeInMinutes <Int32>] [-IsUsableOnce] [-Connection <PnPConnection>] [<CommonParameters>]") in text
    assert "DisplayName" not in text and "MailNickname" not in text
    assert "Required Permissions" in text and "**" not in text
    assert "this article (https://learn.microsoft.com/azure/" in text
    assert "    Microsoft 365 Patterns and Practices https://aka.ms/m365pnp" in text
    assert "    Online Version: https://pnp.github.io/powershell/cmdlets/New-PnPAzureADUserTemporaryAccessPass.html" in text


def test_full_view() -> None:
    text = render_help(MG, full=True, width=120)
    assert sections(text) == ["NAME", "SYNOPSIS", "SYNTAX", "DESCRIPTION", "PARAMETERS", "INPUTS", "OUTPUTS",
                              "NOTES", "RELATED LINKS"]
    block = text.split("    -UserId <String>\n")[1].split("\n\n    -")[0]
    assert block == ("        The unique identifier of user\n\n"
                     "        Required?                    true\n"
                     "        Position?                    named\n"
                     "        Default value                None\n"
                     "        Accept pipeline input?       False\n"
                     "        Aliases                      None\n"
                     "        Accept wildcard characters?  false")
    assert "    -IsUsableOnce [<SwitchParameter>]" in text
    assert "        Aliases                      RHV" in text
    assert "    -WhatIf [<SwitchParameter>]" in text and "        Aliases                      wi" in text
    assert "    <CommonParameters>" in text
    assert "-------------------------- EXAMPLE 1 --------------------------" in text
    assert "    New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $userId -BodyParameter $params" in text
    assert "BODYPARAMETER <IMicrosoftGraphTemporaryAccessPassAuthenticationMethod>" in text
    # parameters in metadata order; errata-added ones after the doc's
    order = [line.split()[0] for line in text.split("PARAMETERS\n")[1].split("INPUTS")[0].splitlines()
             if line.startswith("    -")]
    assert order.index("-UserId") < order.index("-Break") < order.index("-ResponseHeadersVariable") < order.index("-WhatIf")


def test_per_set_values_are_shown_per_set() -> None:
    text = render_help("Connect-MgGraph", parameter="TenantId", width=200)
    assert "Position?                    1 (UserParameterSet), named (AppCertificateParameterSet, AppSecretCredentialParameterSet)" in text
    assert "Aliases                      Audience, Tenant" in text
    client = render_help("Connect-MgGraph", parameter="ClientId", width=200)
    assert "Required?                    false (UserParameterSet, IdentityParameterSet), true (AppCertificateParameterSet)" in client


def test_examples_view() -> None:
    text = render_help(PNP, examples=True, width=200)
    assert sections(text) == ["NAME", "SYNOPSIS", "REMARKS"]
    assert text.count("-------------------------- EXAMPLE") == 4
    assert "-IsUseableOnce:$true" in text  # the doc's examples as written (they run: compat alias)
    widget = render_help("Get-MgContext", examples=True, width=200)
    assert "--------------------------- Example 1 ---------------------------" in widget or "Example 1" in widget


def test_parameter_view_with_wildcards() -> None:
    text = render_help(MG, parameter="isu*", width=200)
    assert [line.strip() for line in text.splitlines() if line.startswith("    -")] == [
        "-IsUsable [<SwitchParameter>]", "-IsUsableOnce [<SwitchParameter>]"]
    assert "NAME" not in text
    assert "-Confirm [<SwitchParameter>]" in render_help(MG, parameter="confirm")
    with pytest.raises(ErrorRecord) as info:
        render_help(MG, parameter="Nope")
    assert info.value.message == "No parameter matches criteria Nope."
    assert info.value.fqid == "NoParmsFound,Microsoft.PowerShell.Commands.GetHelpCommand"
    with pytest.raises(ErrorRecord):
        render_help(PNP, parameter="WhatIf")  # PnP has no ShouldProcess


def test_accepts_defs_and_any_case_and_unknown_names() -> None:
    model = load_paramsets("Get-PnPEntraIDUser")
    assert render_help(model, width=200) == render_help("get-pnpentraiduser", width=200)
    assert "Return by specific ID" not in render_help(model)  # set names are not shown, syntax lines are
    with pytest.raises(ErrorRecord) as info:
        render_help("Get-Nothing")
    assert info.value.fqid == "HelpNotFound,Microsoft.PowerShell.Commands.GetHelpCommand"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, ["help", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args, expected", [
    (["X"], {"Name": "X"}),
    (["X", "-Full"], {"Name": "X", "Full": True}),
    (["X", "--full"], {"Name": "X", "Full": True}),
    (["-fu", "-Name", "X"], {"Name": "X", "Full": True}),
    (["X", "-Ex"], {"Name": "X", "Examples": True}),
    (["X", "-P", "Id"], {"Name": "X", "Parameter": "Id"}),
    (["X", "-Parameter:Id"], {"Name": "X", "Parameter": "Id"}),
    (["X", "-Full:$false"], {"Name": "X", "Full": False}),
])
def test_help_args(args: list[str], expected: dict[str, object]) -> None:
    parsed = parse_help_args(args)
    for key, value in expected.items():
        assert parsed[key] == value


@pytest.mark.parametrize("args, message", [
    (["X", "-zz"], "A parameter cannot be found that matches parameter name 'zz'."),
    (["X", "-Parameter"], "Missing an argument for parameter 'Parameter'."),
    (["X", "Y"], "A positional parameter cannot be found that accepts argument 'Y'."),
    (["X", "-P", "a", "-P", "b"], "specified more than once"),
])
def test_help_arg_errors(args: list[str], message: str) -> None:
    with pytest.raises(ErrorRecord, match=message.replace("(", r"\(").replace("?", r"\?")):
        parse_help_args(args)


def test_help_command() -> None:
    code, out, _ = run(PNP, "-Full")
    assert code == 0 and "PARAMETERS" in out and "-Connection <PnPConnection>" in out
    code, out, err = run("Get-Nothing")
    assert code == 1 and out == "" and err.startswith("Get-Help: Get-Help could not find Get-Nothing")
    code, out, err = run(MG, "-Parameter", "Nope")
    assert code == 1 and "Get-Help: No parameter matches criteria Nope." in err
    code, out, _ = run("Connect-MgGraph", "-Online")
    assert code == 0 and out.strip() == "https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/connect-mggraph"
    code, out, _ = run()
    assert code == 0 and "pscompat help <Cmdlet>" in out


def test_help_module_stays_light() -> None:
    code = ("import sys; import pscompat.docs.help as h; h.render_help('" + MG + "'); "
            "bad = [m for m in ('click', 'markdown', 'markdown_it', 'msgraph', 'httpx', 'pscompat.docs.importer') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_detailed_view() -> None:
    text = render_help(MG, detailed=True, width=120)
    assert sections(text) == ["NAME", "SYNOPSIS", "SYNTAX", "DESCRIPTION", "PARAMETERS", "REMARKS"]
    assert "    -UserId <String>\n        The unique identifier of user\n" in text
    assert "Required?" not in text
    assert "-------------------------- EXAMPLE 1 --------------------------" in text
    assert run(MG, "-Detailed")[1] == run(MG, "-det")[1] != ""
