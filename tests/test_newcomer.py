"""What a newcomer meets first: the not-connected notice (quiet on request, never on a prompt line)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"
NOTICE = "pscompat: not connected; using the embedded lab tenant"


def run(*args: str, tmp_path: Path, stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PSCOMPAT_", "AZURE_"))}
    env.update(HOME=str(tmp_path), PSCOMPAT_LAB_DB=str(tmp_path / "lab.db"),
               PSCOMPAT_CONFIG_DIR=str(tmp_path / "config"), **extra)
    return subprocess.run([str(BIN / args[0]), *args[1:]], input=stdin, capture_output=True, text=True, env=env,
                          timeout=60)


def test_the_notice_never_lands_on_the_confirm_prompt_line(tmp_path: Path) -> None:
    out = run(MG, "-UserId", "AdeleV@contoso.lab", "-Confirm", tmp_path=tmp_path, stdin="y\n")
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    assert any(line.startswith(NOTICE) for line in lines), out.stderr
    assert all(NOTICE not in line or line.startswith(NOTICE) for line in lines)


def test_pscompat_quiet_silences_the_notice(tmp_path: Path) -> None:
    loud = run(MG, "-UserId", "AdeleV@contoso.lab", tmp_path=tmp_path)
    quiet = run(MG, "-UserId", "AlexW@contoso.lab", tmp_path=tmp_path, PSCOMPAT_QUIET="1")
    assert loud.returncode == 0 and NOTICE in loud.stderr
    assert quiet.returncode == 0 and quiet.stderr == "" and "TemporaryAccessPass" in quiet.stdout


def test_the_docs_count_the_users_lab_status_counts(tmp_path: Path) -> None:
    import re

    import yaml

    root = Path(__file__).resolve().parents[1]
    scenario = yaml.safe_load((root / "src/pscompat/lab/scenarios/default.yaml").read_text(encoding="utf-8"))
    count = len(scenario["users"])
    status = run("pscompat", "lab", "status", tmp_path=tmp_path)
    assert re.search(rf"^Users:\s+{count};", status.stdout, flags=re.M), status.stdout
    lab_doc = (root / "docs/lab.md").read_text(encoding="utf-8")
    default = lab_doc[lab_doc.index("The default scenario"):][:600] + lab_doc[:lab_doc.index("## ", 10)]
    stated = {int(n) for n in re.findall(r"(\d+) users\b", default)}
    assert stated == {count}, f"docs/lab.md says {stated} users, the default scenario has {count}"
    assert "~20 users" not in lab_doc


def test_additional_properties_render_alike_in_both_list_views_and_both_csvs(tmp_path: Path) -> None:
    """Mg's AdditionalProperties is an IDictionary<string, object>: the list views enumerate it
    as {[key, value], ...}; CSV, like every ToString(), shows its .NET type."""
    def line(text: str, start: str) -> str:
        return next(row for row in text.splitlines() if row.startswith(start))

    listed = run(MG, "-UserId", "AdeleV@contoso.lab", "--format", "list", tmp_path=tmp_path, PSCOMPAT_QUIET="1")
    scripted = run("pscompat", "-c", f"{MG} -UserId AdeleV@contoso.lab | Format-List *", tmp_path=tmp_path,
                   PSCOMPAT_QUIET="1")
    a = line(listed.stdout, "AdditionalProperties").split(":", 1)[1].strip()
    b = line(scripted.stdout, "AdditionalProperties").split(":", 1)[1].strip()
    assert a.startswith("{[@odata.context, https://graph.microsoft.com/v1.0/$metadata#users(")
    assert a.endswith("[@odata.type, #microsoft.graph.temporaryAccessPassAuthenticationMethod]}")
    assert a == b
    dictionary = '"System.Collections.Generic.Dictionary`2[System.String,System.Object]"'
    csv = run(MG, "-UserId", "AdeleV@contoso.lab", "--format", "csv", tmp_path=tmp_path, PSCOMPAT_QUIET="1")
    script_csv = run("pscompat", "-c", f"{MG} -UserId AdeleV@contoso.lab | ConvertTo-Csv", tmp_path=tmp_path,
                     PSCOMPAT_QUIET="1")
    assert csv.stdout.strip().splitlines()[-1].endswith(dictionary)
    assert script_csv.stdout.strip().splitlines()[-1].endswith(dictionary)
