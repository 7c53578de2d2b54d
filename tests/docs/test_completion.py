"""`pscompat completion bash`: source the script in a real bash and call its functions."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pscompat.cli import group
from pscompat.docs.completion import bash_script, completion_words
from pscompat.model import cmdlet_names, load_paramsets

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"
PNP = "New-PnPAzureADUserTemporaryAccessPass"
BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash not installed")


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = CliRunner().invoke(group, ["completion", "bash"])
    assert result.exit_code == 0
    path = tmp_path_factory.mktemp("completion") / "pscompat.bash"
    path.write_text(result.stdout)
    return path


def complete(script: Path, function: str, *words: str) -> list[str]:
    """COMPREPLY after calling ``function`` with COMP_WORDS=words and the last word current."""
    code = (f"source {shlex.quote(str(script))}; COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); "
            f"COMP_CWORD={len(words) - 1}; {function}; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    out = subprocess.run([BASH, "--norc", "--noprofile", "-c", code], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line]


def test_script_is_valid_bash_and_registers_every_command(script: Path) -> None:
    out = subprocess.run([BASH, "--norc", "--noprofile", "-c", f"source {shlex.quote(str(script))}; complete -p"],
                         capture_output=True, text=True, check=True).stdout
    assert "complete -o default -F _pscompat pscompat" in out
    for name in cmdlet_names():
        assert "-F _pscompat_cmdlet" in out and f" {name}" in out


def test_prefixes_complete_case_insensitively(script: Path) -> None:
    assert complete(script, "_pscompat_cmdlet", MG, "-isu") == ["-IsUsable", "-IsUsableOnce"]
    assert complete(script, "_pscompat_cmdlet", MG, "-UserId", "x", "-Li") == ["-LifetimeInMinutes"]
    assert complete(script, "_pscompat_cmdlet", MG, "-wh") == ["-WhatIf"]
    assert complete(script, "_pscompat_cmdlet", MG, "-Prox") == ["-Proxy", "-ProxyCredential", "-ProxyUseDefaultCredentials"]
    assert complete(script, "_pscompat_cmdlet", f"/usr/local/bin/{PNP}", "-I") == [
        "-Identity", "-IsUsableOnce", "-InformationAction", "-InformationVariable"]
    assert complete(script, "_pscompat_cmdlet", PNP, "-W") == ["-WarningAction", "-WarningVariable"]  # no -WhatIf
    assert complete(script, "_pscompat_cmdlet", PNP, "-IsUse") == []  # the compat alias IsUseableOnce is not offered
    assert complete(script, "_pscompat_cmdlet", MG, "value") == []
    assert complete(script, "_pscompat_cmdlet", "New-Unknown", "-I") == []


def test_pscompat_subcommands_cmdlets_and_help(script: Path) -> None:
    first = complete(script, "_pscompat", "pscompat", "")
    assert "help" in first and "docs" in first and MG in first and "Connect-MgGraph" in first
    assert complete(script, "_pscompat", "pscompat", "he") == ["help"]
    assert complete(script, "_pscompat", "pscompat", "new-pnpe") == ["New-PnPEntraIDUserTemporaryAccessPass"]
    assert complete(script, "_pscompat", "pscompat", "new-pnpentraidusertemporaryaccesspass", "-Con") == ["-Connection"]
    assert complete(script, "_pscompat", "pscompat", "help", "Connect-M") == ["Connect-MgGraph"]
    assert complete(script, "_pscompat", "pscompat", "help", MG, "-") == [
        "-Full", "-Detailed", "-Examples", "-Online", "-Parameter"]
    assert complete(script, "_pscompat", "pscompat", "help", "Connect-MgGraph", "-Parameter", "Cert") == [
        "Certificate", "CertificateSubjectName", "CertificateThumbprint"]
    assert complete(script, "_pscompat", "pscompat", "docs", "-") == []


def test_words_follow_metadata_order() -> None:
    words = completion_words(load_paramsets(MG))
    assert words[:2] == ["-AdditionalProperties", "-BodyParameter"]
    assert words.index("-UserId") < words.index("-Break") < words.index("-WhatIf") < words.index("-Verbose")
    assert "-RHV" not in words


def test_completion_is_fast(script: Path) -> None:
    code = (f"source {shlex.quote(str(script))}; for i in $(seq 200); do COMP_WORDS=({MG} -isu); COMP_CWORD=1; "
            "_pscompat_cmdlet; done")
    start = time.perf_counter()
    subprocess.run([BASH, "--norc", "--noprofile", "-c", code], check=True)
    assert time.perf_counter() - start < 2.0  # 200 completions, no Python started


def test_script_matches_the_library_function() -> None:
    assert CliRunner().invoke(group, ["completion", "bash"]).stdout == bash_script()
    assert CliRunner().invoke(group, ["completion", "zsh"]).exit_code != 0


def test_lab_subcommands_complete(script: Path) -> None:
    assert complete(script, "_pscompat", "pscompat", "lab", "s") == ["serve", "signin", "status"]
    assert complete(script, "_pscompat", "pscompat", "lab", "") == sorted(complete(script, "_pscompat", "pscompat", "lab", ""))
    assert "reset" in complete(script, "_pscompat", "pscompat", "lab", "")


def test_install_on_a_fresh_home_links_every_cmdlet_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("BASH_COMPLETION_USER_DIR", raising=False)
    result = CliRunner().invoke(group, ["completion", "bash", "--install"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / ".local" / "share" / "bash-completion" / "completions"
    assert (folder / "pscompat").read_text().startswith("# bash completion for pscompat")
    for name in cmdlet_names():
        assert (folder / name).resolve() == (folder / "pscompat").resolve()
    # bash-completion sources completions/<command> for the command being completed: the cmdlet's own link
    out = subprocess.run([BASH, "--norc", "--noprofile", "-c",
                          f"source {shlex.quote(str(folder / MG))}; COMP_WORDS=({MG} -Lif); COMP_CWORD=1; "
                          "_pscompat_cmdlet; printf '%s\\n' \"${COMPREPLY[@]}\""],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["-LifetimeInMinutes"]
