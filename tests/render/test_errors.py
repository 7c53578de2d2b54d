"""The error view's NormalView pieces that the script runner and bash share (pscompat.render.errors)."""

from __future__ import annotations

from pscompat.errors import ErrorRecord
from pscompat.render.errors import (
    ScriptPosition,
    category_info,
    format_error,
    position_lines,
    script_error_text,
)
from pscompat.values import PSHashtable

NOT_FOUND = ErrorRecord(
    "The term 'Get-Foo' is not recognized as a name of a cmdlet, function, script file, or executable program.",
    "CommandNotFoundException", "ObjectNotFound", command="Get-Foo", target="Get-Foo",
    exception_type="System.Management.Automation.CommandNotFoundException")


def test_position_lines_name_the_file_or_the_line_and_underline_the_extent() -> None:
    assert position_lines(ScriptPosition(3, 1, "Get-Foo -X 1", "/path/x.ps1", 7)) == (
        "At /path/x.ps1:3 char:1\n+ Get-Foo -X 1\n+ ~~~~~~~\n")
    assert position_lines(ScriptPosition(1, 9, "Get-Foo -X 1", None, 50)) == (  # cut at the end of the line
        "At line:1 char:9\n+ Get-Foo -X 1\n+         ~~~~\n")
    assert position_lines(ScriptPosition(2, 5, "", None, 0)) == "At line:2 char:5\n+ \n+     ~\n"


def test_normal_view_with_a_script_position_and_activity() -> None:
    position = ScriptPosition(3, 1, "Get-Foo -X 1", "/path/x.ps1", 7)
    text = format_error(NOT_FOUND, "normal", position=position, activity="")
    assert text == (
        f"Get-Foo : {NOT_FOUND.message}\n"
        "At /path/x.ps1:3 char:1\n+ Get-Foo -X 1\n+ ~~~~~~~\n"
        "    + CategoryInfo          : ObjectNotFound: (Get-Foo:String) [], CommandNotFoundException\n"
        "    + FullyQualifiedErrorId : CommandNotFoundException")
    assert script_error_text(NOT_FOUND, position, "") == text + "\n\n"
    # From bash there is no script text: no position lines, and the activity is the record's command.
    assert format_error(NOT_FOUND, "normal").split("\n")[1] == (
        "    + CategoryInfo          : ObjectNotFound: (Get-Foo:String) [Get-Foo], CommandNotFoundException")
    assert format_error(NOT_FOUND, "normal", position=position) == format_error(
        NOT_FOUND, "normal", position=position, activity="Get-Foo")


def test_category_info_targets_use_dotnet_strings_and_type_names() -> None:
    def info(target: object) -> str:
        return category_info(ErrorRecord("m", "E", "InvalidOperation", target=target,
                                         exception_type="System.Management.Automation.RuntimeException"), "")
    assert info(None) == "InvalidOperation: (:) [], RuntimeException"
    assert info(1) == "InvalidOperation: (1:Int32) [], RuntimeException"
    assert info(True) == "InvalidOperation: (True:Boolean) [], RuntimeException"
    assert info([1, 2, 3]) == "InvalidOperation: (1 2 3:Object[]) [], RuntimeException"
    assert info(PSHashtable()) == "InvalidOperation: (System.Collections.Hashtable:Hashtable) [], RuntimeException"


def test_extra_lines_sit_between_the_message_and_the_position() -> None:
    record = ErrorRecord("Bad.", "badRequest", "InvalidOperation", command="New-X_Create", fqid_suffix="T",
                         exception_type="System.Exception", extra_text="\nStatus: 400 (BadRequest)\n")
    assert format_error(record) == "New-X_Create: Bad.\n\nStatus: 400 (BadRequest)\n"
    assert format_error(record, "normal", position=ScriptPosition(1, 1, "New-X", length=5), activity="") == (
        "New-X_Create : Bad.\n\nStatus: 400 (BadRequest)\nAt line:1 char:1\n+ New-X\n+ ~~~~~\n"
        "    + CategoryInfo          : InvalidOperation: (:) [], Exception\n"
        "    + FullyQualifiedErrorId : badRequest,T")
