"""Run a script in-process and capture its streams."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pscompat.script.evaluator import Interpreter
from pscompat.script.runner import run_script
from pscompat.script.scripthost import ScriptHost


@dataclass
class Result:
    code: int
    out: str
    err: str
    interp: Interpreter

    def var(self, name: str) -> Any:
        return self.interp.get_variable(self.interp.global_scope, name)


def run(text: str, *, path: str | None = None, args: list[str] | None = None, stdin: str = "",
        invoker: Any = None) -> Result:
    out, err = io.StringIO(), io.StringIO()
    host = ScriptHost(out, err, io.StringIO(stdin))
    host.sleep_scale = 0.0
    interp = Interpreter(host, invoker, path)
    code = run_script(text, path, args, host=host, interp=interp)
    return Result(code, out.getvalue(), err.getvalue(), interp)
