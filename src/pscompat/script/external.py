"""The bridge from scripts to the modelled Graph/PnP cmdlets: binder -> dispatch, per pipeline object.

``ModelInvoker`` implements ``CommandInvoker``: it knows every cmdlet in the YAML model, binds
the script's typed arguments with ``pscompat.binder.CommandBinder`` (pipeline input through
``bind_input``, ByValue/ByPropertyName as PowerShell does), runs each bound invocation with
``pscompat.dispatch.run.run_one`` and routes the cmdlet's error/warning/verbose streams through
the script's own streams (so ``-ErrorAction``, ``$Error``, ``2>$null`` and ``try/catch`` work).
"""

from __future__ import annotations

from typing import Any

from pscompat.errors import ErrorRecord

__all__ = ["ModelInvoker", "make_invoker"]


def make_invoker(connection: Any = None) -> ModelInvoker:
    install_view_hook()
    return ModelInvoker(connection)


_VIEWS: dict[str, tuple[str, list[str]]] | None = None


def _output_views() -> dict[str, tuple[str, list[str]]]:
    global _VIEWS
    if _VIEWS is None:
        views: dict[str, tuple[str, list[str]]] = {}
        try:
            from pscompat.model import cmdlet_names, find_cmdlet
            for name in cmdlet_names(include_aliases=False):
                cmdlet = find_cmdlet(name)
                if cmdlet is not None and cmdlet.output is not None:
                    views.setdefault(cmdlet.output.type, (cmdlet.output.view, list(cmdlet.output.columns)))
        except Exception:  # noqa: BLE001 - without the model, objects get the default rules
            views = {}
        _VIEWS = views
    return _VIEWS


def install_view_hook() -> None:
    """Objects written by modelled cmdlets print with their cmdlet's view (the columns the modules show)."""
    from pscompat.script.formatting import set_view_hook
    from pscompat.values import PSObject

    def hook(obj: Any) -> tuple[str, list[str]] | None:
        if isinstance(obj, PSObject):
            return _output_views().get(obj.type_name)
        return None
    set_view_hook(hook)


def _bridge_host(context: Any, common: dict[str, Any]) -> Any:
    from pscompat.host import Host, OutputOptions

    class ScriptBridgeHost(Host):
        """A per-invocation Host whose streams are the script's."""

        def write_error(self, record: ErrorRecord) -> None:
            self.error_count += 1
            self.errors.append(record)
            context.write_error(record)

        def write_warning(self, text: str) -> None:
            if self.warning_action not in {"SilentlyContinue", "Ignore"}:
                context.write_warning(self.redact(text))

        def write_verbose(self, text: str) -> None:
            if self.verbose:
                context.interp.emit_stream("verbose", self.redact(text))

        def write_debug(self, text: str) -> None:
            if self.debug:
                context.interp.emit_stream("debug", self.redact(text))

        def write_information(self, text: str) -> None:
            context.interp.emit_stream("information", self.redact(text).rstrip("\n"))

        def show_error(self, record: ErrorRecord) -> None:
            context.interp.show_error(record)

        def set_variable(self, name: str, value: Any) -> None:
            # Mg's -CountVariable/-ResponseHeadersVariable set the variable in the global scope.
            interp = context.interp
            interp.set_variable(interp.global_scope, name, value, "global")

        def add_secret(self, value: Any) -> None:
            super().add_secret(value)
            if isinstance(value, str) and len(value) >= 4:
                context.host.add_secret(value)

    script_host = context.host
    host = ScriptBridgeHost.from_common(common, OutputOptions.from_env(), out=script_host.stdout,
                                        err=script_host.stderr)
    host.error_action = context.error_action or host.error_action
    host.secrets.update(script_host.secrets)   # one C-level step: -Parallel tasks add secrets meanwhile
    return host


class ModelInvoker:
    """``CommandInvoker`` for the cmdlets described by the YAML model."""

    def __init__(self, connection: Any = None) -> None:
        self.connection = connection
        self._names: set[str] | None = None

    def knows(self, name: str) -> bool:
        try:
            from pscompat.model import find_cmdlet
        except ImportError:
            return False
        return find_cmdlet(name) is not None

    def invoke(self, name: str, arguments: list[Any], input_objects: list[Any] | None, context: Any) -> list[Any]:
        from pscompat.binder import CommandBinder
        from pscompat.dispatch.run import run_one
        from pscompat.model import find_cmdlet
        cmdlet = find_cmdlet(name)
        assert cmdlet is not None
        if cmdlet.raw.get("handler"):  # Connect-*: a script is one process, so the modules' default scopes apply
            from pscompat.connect.handler import set_long_lived_process
            set_long_lived_process(True)
        from pscompat.script.prompting import mandatory_prompt
        prompt = mandatory_prompt(context.interp)   # a terminal: ask for missing mandatory parameters
        binder = CommandBinder(cmdlet, interactive=prompt is not None, prompt=prompt, invocation_name=name)
        binder.bind_arguments(arguments)
        objects: list[Any] = []
        if input_objects is None:
            invocations = [binder.finish(expect_input=False)]
        else:
            binder.finish(expect_input=True)
            invocations = []
            for obj in input_objects:
                try:
                    invocations.append(binder.bind_input(obj))
                except ErrorRecord as record:
                    record.terminating = False
                    context.write_error(record)
        for invocation in invocations:
            common = dict(invocation.common)
            if context.error_action:
                common["ErrorAction"] = context.error_action
            host = _bridge_host(context, common)
            if invocation.what_if and cmdlet.acts_on_should_process:
                from pscompat.binder.shouldprocess import whatif_line
                context.interp.emit_stream("information", whatif_line(cmdlet, invocation.parameter_set))
                continue
            objects.extend(run_one(invocation, host, self.connection))
        return objects
