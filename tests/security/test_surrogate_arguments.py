"""A lone UTF-16 surrogate in a cmdlet argument (issue 16: it ended in "internal error
(UnicodeEncodeError)"). .NET 5+ escapes it into a URI as U+FFFD, so Graph answers 404 for
the user, and so does pscompat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pscompat.dispatch.request import wellformed


def test_wellformed_joins_pairs_and_replaces_lone_surrogates() -> None:
    assert wellformed("a\ud800b") == "a\ufffdb"
    assert wellformed("\ud83d\ude00") == "\U0001f600"
    assert wellformed("plain") == "plain"


def test_script_argument_with_a_lone_surrogate_is_graphs_404(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "PSCOMPAT_QUIET": "1"}
    exe = Path(sys.executable).with_name("pscompat")
    result = subprocess.run([str(exe), "-c", 'Get-MgUser -UserId "a`u{D800}"'], capture_output=True, text=True,
                            env=env, timeout=60)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "Resource 'a\ufffd' does not exist" in result.stdout + result.stderr
