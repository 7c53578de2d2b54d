"""pscompat translate: YAML-driven PnP -> Mg rewrites that keep every other byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pscompat.model import load_paramsets
from pscompat.tools.translate import TranslateError, report_lines, translate_text

from .conftest import run_cli

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"


def _seed_examples() -> list[str]:
    return [e.code for e in load_paramsets("New-PnPAzureADUserTemporaryAccessPass").examples]


@pytest.mark.parametrize("index", range(4))
def test_every_seed_example_becomes_an_mg_call(index: int) -> None:
    code = _seed_examples()[index]
    result = translate_text(code)
    out = result.translated
    assert result.calls == 1
    assert "PnP" not in out and "IsUseableOnce" not in out and "-Identity" not in out
    assert out.startswith(MG + " -UserId ")
    assert out.count("-IsUsableOnce") == 1
    # the switch's meaning is kept: :$true -> bare switch, :$false and absent -> explicit false
    if "-IsUseableOnce:$true" in code:
        assert out.endswith("-IsUsableOnce") or "-IsUsableOnce " in out
    else:
        assert "-IsUsableOnce:$false" in out
    for kept in ("(Get-Date).AddHours(2)", "(Get-Date).AddMinutes(10)", "johndoe@contoso.onmicrosoft.com"):
        if kept in code:
            assert kept in out


def test_pipeline_from_get_pnp_user_is_folded_into_user_id() -> None:
    code = _seed_examples()[3]
    assert code.startswith("Get-PnPAzureADUser -Identity johndoe@contoso.onmicrosoft.com |")
    result = translate_text(code)
    assert result.translated.startswith(f"{MG} -UserId johndoe@contoso.onmicrosoft.com -StartDateTime")
    ids = {n.difference for n in result.notes}
    assert {"user-lookup", "missing-user-pipeline", "api-version", "datetime-serialisation"} <= ids
    assert [n.kind for n in result.notes if n.difference == "isusableonce-always-sent"] == []  # switch given


ODD = (
    "\ufeff# header comment: New-PnPAzureADUserTemporaryAccessPass -Identity nobody\r\n"
    "param([string]$Upn = 'a@contoso.com')\r\n"
    "<# block\r\n   comment #>\r\n"
    "if ($true) {\r\n"
    "    $tap = new-pnpAzureADuserTEMPORARYaccesspass    -identity:$Upn `\r\n"
    "        -LifeTime   30 -IsUseableOnce:$true   # inline comment\r\n"
    "}\r\n"
    "Write-Output \"New-PnPAzureADUserTemporaryAccessPass in a string stays\"\r\n"
    "\t$x = 1;  New-PnPEntraIDUserTemporaryAccessPass -Identity 'B@contoso.com' -StartDateTime '2030-01-02T03:04:05Z'\r\n"
    "Get-PnPAzureADUser -Identity c@contoso.com\r\n"
    "# trailing comment without newline"
)


def test_odd_formatting_keeps_every_other_byte() -> None:
    result = translate_text(ODD, "odd.ps1")
    out = result.translated
    assert out.startswith("\ufeff# header comment: New-PnPAzureADUserTemporaryAccessPass -Identity nobody\r\n")
    assert out.count("\r\n") == ODD.count("\r\n") and "\n" not in out.replace("\r\n", "")
    before, after = ODD.split("\r\n"), out.split("\r\n")
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [5, 6, 9, 10]
    assert after[5] == f"    $tap = {MG}    -UserId:$Upn `"
    assert after[6] == "        -LifetimeInMinutes   30 -IsUsableOnce   # inline comment"
    assert after[9] == (f"\t$x = 1;  {MG} -UserId 'B@contoso.com' -StartDateTime '2030-01-02T03:04:05Z'"
                        " -IsUsableOnce:$false")
    lines = report_lines(result, "odd.ps1")
    assert after[10] == "Get-MgUser -UserId c@contoso.com"
    assert any(line.startswith("odd.ps1:11: difference: not-found") for line in lines)
    assert any("odd.ps1:10: difference: datetime-serialisation" in line for line in lines)


def test_translation_is_idempotent() -> None:
    once = translate_text(ODD).translated
    twice = translate_text(once)
    assert twice.translated == once and twice.calls == 0


def test_guid_is_lower_cased_as_pnp_sends_it() -> None:
    out = translate_text("New-PnPAzureADUserTemporaryAccessPass -Identity 72E2EB87-C124-4BD9-8E01-A447A1752058").translated
    assert "-UserId 72e2eb87-c124-4bd9-8e01-a447a1752058" in out


def test_splatting_is_rewritten_key_by_key() -> None:
    code = "$p = @{Identity = 'a@b.c'; LifeTime = 60}\nNew-PnPAzureADUserTemporaryAccessPass @p\n"
    result = translate_text(code)
    assert result.translated == f"$p = @{{UserId = 'a@b.c'; LifetimeInMinutes = 60}}\n{MG} @p -IsUsableOnce:$false\n"
    assert result.calls == 1


def test_splat_of_unknown_origin_is_left_with_a_comment() -> None:
    code = "New-PnPAzureADUserTemporaryAccessPass @p\n"
    result = translate_text(code)
    assert result.translated == "# pscompat-translate: New-PnPAzureADUserTemporaryAccessPass left as is: " \
        "splatted arguments (@p) come from something other than one @{...} literal in this script; translate " \
        f"the keys by hand; use {MG} (Microsoft Graph PowerShell)\n" + code
    assert any(n.kind == "manual" and "splat" in n.text and MG in n.text for n in result.notes)


def test_unknown_parameter_is_left_alone_and_reported() -> None:
    code = "New-PnPAzureADUserTemporaryAccessPass -Identity a@b.c -Bogus 1\n"
    result = translate_text(code)
    assert result.translated.endswith("\n" + code) and result.translated.startswith("# pscompat-translate: ")
    assert any(n.kind == "manual" and "-Bogus" in n.text for n in result.notes)
    assert translate_text(result.translated).translated == result.translated   # the comment is added once


@pytest.mark.parametrize(("pnp", "mg"), [
    ("Connect-PnPOnline -Url https://contoso.sharepoint.com -Interactive",
     "Connect-MgGraph -Scopes UserAuthenticationMethod.ReadWrite.All"),
    ("Connect-PnPOnline https://contoso.sharepoint.com -ClientId abc -Thumbprint 0A1B -Tenant contoso.onmicrosoft.com",
     "Connect-MgGraph -ClientId abc -CertificateThumbprint 0A1B -TenantId contoso.onmicrosoft.com"),
    ("Connect-PnPOnline -Url https://c.sharepoint.us -DeviceLogin -AzureEnvironment USGovernmentHigh",
     "Connect-MgGraph -UseDeviceCode -Environment USGov -Scopes UserAuthenticationMethod.ReadWrite.All"),
    ("Connect-PnPOnline -Url https://c.sharepoint.com -ManagedIdentity",
     "Connect-MgGraph -Identity"),
    ("Connect-PnPOnline -Url https://c.sharepoint.com -AccessToken $token",
     "Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force)"),
])
def test_connect_pnponline_becomes_connect_mggraph(pnp: str, mg: str) -> None:
    assert translate_text(pnp).translated == mg


def test_connect_with_credentials_needs_a_human() -> None:
    code = "Connect-PnPOnline -Url https://c.sharepoint.com -Credentials $cred"
    result = translate_text(code)
    assert result.translated.endswith("\n" + code) and "use Connect-MgGraph" in result.translated
    assert any(n.kind == "manual" for n in result.notes)


def test_connection_argument_is_removed() -> None:
    out = translate_text("New-PnPAzureADUserTemporaryAccessPass -Identity a@b.c -Connection $conn -Verbose").translated
    assert out == f"{MG} -UserId a@b.c -Verbose -IsUsableOnce:$false"


def test_unparseable_script_is_an_error() -> None:
    with pytest.raises(TranslateError, match="bad.ps1:"):
        translate_text("New-PnPAzureADUserTemporaryAccessPass -Identity (", "bad.ps1")


def test_cli_diff_check_write(tmp_path: Path) -> None:
    script = tmp_path / "s.ps1"
    script.write_bytes(ODD.encode("utf-8"))
    diff = run_cli("translate", str(script))
    assert diff.returncode == 0
    assert f"+++ {script} (translated)" in diff.stdout and f"+    $tap = {MG}" in diff.stdout
    assert script.read_bytes() == ODD.encode("utf-8"), "a diff must not write"
    assert "difference: api-version" in diff.stderr and "translated:" not in diff.stderr
    assert "difference: not-found" in diff.stderr      # Get-PnPAzureADUser -> Get-MgUser
    check = run_cli("translate", "--check", "--report", str(script))
    assert check.returncode == 1 and "difference: api-version" in check.stderr
    write = run_cli("translate", "--write", str(script))
    assert write.returncode == 0
    assert script.read_bytes() == translate_text(ODD).translated.encode("utf-8")
    assert run_cli("translate", "--check", str(script)).returncode == 0


def test_cli_bad_input_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    missing = run_cli("translate", str(tmp_path / "none.ps1"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.ps1"
    bad.write_text("New-PnPAzureADUserTemporaryAccessPass -Identity (")
    result = run_cli("translate", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_pipeline_input_from_elsewhere_is_left_alone() -> None:
    code = "'a@contoso.lab' | New-PnPAzureADUserTemporaryAccessPass -LifeTimeInMinutes 60\n"
    result = translate_text(code)
    assert result.translated.endswith("\n" + code) and result.translated.startswith("# pscompat-translate: ")
    assert any(n.kind == "manual" and "pipeline input" in n.text for n in result.notes)


def test_the_doc_spelling_is_never_a_prefix() -> None:
    """As the binder: -IsUseableOnce binds only by its full name; -IsUse matches nothing."""
    code = "New-PnPAzureADUserTemporaryAccessPass -Identity a@b.c -IsUse\n"
    assert translate_text(code).translated.endswith("\n" + code)
    assert "-IsUsableOnce" in translate_text("New-PnPAzureADUserTemporaryAccessPass -Identity a@b.c -IsUsableO").translated


def test_added_switch_names_the_difference_it_removes() -> None:
    result = translate_text("New-PnPAzureADUserTemporaryAccessPass -Identity a@b.c")
    [added] = [n for n in result.notes if n.kind == "added"]
    assert added.difference == "isusableonce-always-sent" and "-IsUsableOnce:$false" in added.text


def test_identity_from_both_pipeline_and_argument_is_left_alone() -> None:
    code = "Get-PnPAzureADUser -Identity a@b.c | New-PnPAzureADUserTemporaryAccessPass -Identity x@b.c\n"
    result = translate_text(code)
    assert result.translated.endswith("\nGet-MgUser -UserId a@b.c | New-PnPAzureADUserTemporaryAccessPass -Identity x@b.c\n")
    assert any("bound twice" in n.text for n in result.notes)


# ---------------------------------------------------------------- generated scripts

_UNRELATED = st.sampled_from([
    "# a comment: New-PnPAzureADUserTemporaryAccessPass -Identity x",
    "Write-Output 'New-PnPAzureADUserTemporaryAccessPass stays in a string'",
    "$x = 42   # trailing",
    "",
    "   ",
    "\t$users = @('a@contoso.lab', 'b@contoso.lab')",
    "if ($x -gt 1) { Write-Host \"big\" }",
    "<# block comment #>",
])
_CALL = st.builds(
    lambda name, sp1, ident, life, once: f"{name}{sp1}-Identity{sp1}{ident}{life}{once}",
    st.sampled_from(["New-PnPAzureADUserTemporaryAccessPass", "new-pnpentraidusertemporaryaccesspass"]),
    st.sampled_from([" ", "  ", "\t"]),
    st.sampled_from(["a@contoso.lab", "'b@contoso.lab'", "$u", "72E2EB87-C124-4BD9-8E01-A447A1752058"]),
    st.sampled_from(["", " -LifeTimeInMinutes 60", " -LifeTime:90"]),
    st.sampled_from(["", " -IsUseableOnce:$true", " -IsUsableOnce", " -IsUseableOnce:$false"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_UNRELATED, _CALL), min_size=1, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_generated_scripts_keep_every_unrelated_byte(lines: list[str], newline: str) -> None:
    text = newline.join(lines) + newline
    result = translate_text(text)
    out_lines = result.translated.split(newline)
    assert len(out_lines) == len(lines) + 1
    for before, after in zip(lines, out_lines, strict=False):
        if "-Identity" in before and not before.startswith(("#", "Write-Output")):
            assert after.lower().startswith(MG.lower()) and "PnP" not in after and "IsUseable" not in after
            assert after.count("-IsUsableOnce") == 1
        else:
            assert after == before
    assert result.calls == sum(1 for line in lines if "-Identity" in line and not line.startswith(("#", "Write-Output")))
    assert translate_text(result.translated).translated == result.translated


def test_common_parameters_pass_through_with_their_values() -> None:
    code = "New-PnPAzureADUserTemporaryAccessPass -Identity a@b.c -ErrorAction Stop -Verbose -ev err -LifeT 60"
    out = translate_text(code).translated
    assert out == f"{MG} -UserId a@b.c -ErrorAction Stop -Verbose -ev err -LifetimeInMinutes 60 -IsUsableOnce:$false"


def test_identity_from_a_variable_holding_a_pnp_user_passes_its_id() -> None:
    code = ("$user = Get-PnPAzureADUser -Identity a@contoso.lab\n"
            "New-PnPAzureADUserTemporaryAccessPass -Identity $user -LifeTimeInMinutes 60\n"
            "New-PnPAzureADUserTemporaryAccessPass -Identity $other\n")
    lines = translate_text(code).translated.splitlines()
    assert lines[0] == "$user = Get-MgUser -UserId a@contoso.lab"
    assert lines[1] == f"{MG} -UserId $user.Id -LifetimeInMinutes 60 -IsUsableOnce:$false"
    assert lines[2] == f"{MG} -UserId $other -IsUsableOnce:$false"
