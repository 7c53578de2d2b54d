"""Built-in cmdlets: data, objects, streams and files, with PowerShell's text shapes."""

from __future__ import annotations

import json
from pathlib import Path

from .helpers import run


def test_import_module_known_and_unknown() -> None:
    ok = run("Import-Module Microsoft.Graph.Identity.SignIns; Import-Module PnP.PowerShell; 'ok'")
    assert (ok.code, ok.out, ok.err) == (0, "ok\n", "")
    bad = run("Import-Module Contoso.Nope\n'continued'")
    assert bad.out == "continued\n"
    assert ("Import-Module : The specified module 'Contoso.Nope' was not loaded because no valid module file was "
            "found in any module directory.") in bad.err
    assert "Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand" in bad.err
    stop = run("try { Import-Module Nope -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }")
    assert stop.out == "Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand\n"


def test_csv_round_trip(tmp_path: Path) -> None:
    src = tmp_path / "users.csv"
    src.write_text("UserPrincipalName,Department,Enabled\r\nadele@contoso.lab,Sales,true\r\n"
                   "alex@contoso.lab,\"IT, Ops\",false\r\n", encoding="utf-8-sig")
    report = tmp_path / "report.csv"
    result = run(f"$users = Import-Csv '{src}'\n$users.Count\n$users[1].Department\n"
                 f"$users | Where-Object Enabled -eq 'true' | ForEach-Object {{ [pscustomobject]@{{ User = $_.UserPrincipalName; "
                 f"Ok = $true; N = 1 }} }} | Export-Csv -Path '{report}' -NoTypeInformation\n"
                 f"[pscustomobject]@{{ User = 'x\"y'; Ok = $false; N = $null }} | Export-Csv '{report}' -Append")
    assert result.err == ""
    assert result.out == "2\nIT, Ops\n"
    assert report.read_text() == '"User","Ok","N"\n"adele@contoso.lab","True","1"\n"x""y","False",""\n'


def test_convertto_json_shapes_and_depth() -> None:
    result = run("@{ a = 1 } | ConvertTo-Json\n[pscustomobject]@{ Name = 'x'; List = @(1, 2); Empty = @(); N = $null;"
                 " F = 2.0; B = $true } | ConvertTo-Json\n"
                 "@{ a = @{ b = @{ c = @{ d = 1 } } } } | ConvertTo-Json -Compress\n"
                 "ConvertTo-Json @(1, 'two') -Compress")
    out = result.out
    assert out.startswith('{\n  "a": 1\n}\n{\n  "Name": "x",\n  "List": [\n    1,\n    2\n  ],\n  "Empty": [],\n'
                          '  "N": null,\n  "F": 2.0,\n  "B": true\n}\n')
    assert '{"a":{"b":{"c":"System.Collections.Hashtable"}}}\n' in out
    assert out.endswith('[1,"two"]\n')
    assert "WARNING: Resulting JSON is truncated as serialization has exceeded the set depth of 2." in result.err


def test_convertto_json_dates() -> None:
    out = run("[datetime]::Parse('2022-06-05T00:00:00Z').ToUniversalTime() | ConvertTo-Json\n"
              "[datetime]'2022-06-05T09:30:00' | ConvertTo-Json").out
    assert out == '"2022-06-05T00:00:00Z"\n"2022-06-05T09:30:00"\n'


def test_convertfrom_json() -> None:
    result = run("$o = '{\"name\":\"a\",\"items\":[1,2],\"nested\":{\"x\":true},\"when\":\"2022-06-05T00:00:00Z\"}' | "
                 "ConvertFrom-Json\n$o.name; $o.items.Count; $o.nested.x; $o.when.Kind; $o.GetType().FullName\n"
                 "$h = '{\"k\": 1}' | ConvertFrom-Json -AsHashtable; $h['K']")
    assert result.out.splitlines() == ["a", "2", "True", "Utc", "System.Management.Automation.PSCustomObject", "1"]


def test_select_object_forms() -> None:
    script = ("$p = @([pscustomobject]@{N='a';V=1;W=9}, [pscustomobject]@{N='b';V=2;W=8}, [pscustomobject]@{N='a';V=3;W=7})\n"
              "($p | Select-Object -Property N, @{n='Double'; e={ $_.V * 2 }} | Select-Object -Last 1).Double\n"
              "$p | Select-Object -ExpandProperty N -Unique\n"
              "($p | Select-Object -First 2).Count\n"
              "($p | Select-Object N -Unique).Count\n"
              "($p | Select-Object -Property * -ExcludeProperty W)[0].PSObject.Properties.Name -join ','\n"
              "($p | Select-Object -Skip 1 -First 1).N")
    assert run(script).out.splitlines() == ["6", "a", "b", "2", "2", "N,V", "b"]


def test_where_sort_measure_group() -> None:
    script = ("$p = 5, 3, 9, 1 | ForEach-Object { [pscustomobject]@{ N = $_; Odd = ($_ % 2 -eq 1); G = $_ -gt 4 } }\n"
              "($p | Where-Object { $_.N -gt 2 } | Sort-Object N -Descending).N -join ','\n"
              "($p | Where-Object N -GE 5).Count\n"
              "$m = $p | Measure-Object -Property N -Sum -Average -Maximum -Minimum; \"$($m.Count) $($m.Sum) $($m.Average) "
              "$($m.Maximum) $($m.Minimum)\"\n"
              "($p | Group-Object G | Sort-Object Name | ForEach-Object { \"$($_.Name)=$($_.Count)\" }) -join ';'\n"
              "(3, 1, 2 | Sort-Object) -join ''\n('b', 'A', 'c' | Sort-Object) -join ''\n(1, 1, 2 | Sort-Object -Unique).Count\n"
              "(1..5 | Measure-Object).Count\n(1..4 | ForEach-Object -Begin { $t = 0 } -Process { $t += $_ } -End { $t })\n"
              "('a', 'bb' | ForEach-Object Length) -join ','")
    assert run(script).out.splitlines() == ["9,5,3", "2", "4 18 4.5 9 1", "False=2;True=2", "123", "Abc", "2", "5",
                                            "10", "1,2"]


def test_default_formatting_table_and_list() -> None:
    out = run("[pscustomobject]@{ Name = 'abc'; Count = 5 }\n"
              "[pscustomobject]@{ A = 1; B = 2; C = 3; D = 4; E = 5 }\n@{ Key = 'v' }\n'plain'; 42; $true").out
    assert out == ("\nName Count\n---- -----\nabc      5\n\n"
                   "\nA : 1\nB : 2\nC : 3\nD : 4\nE : 5\n\n"
                   "\nName                           Value\n----                           -----\n"
                   "Key                            v\n\n"
                   "plain\n42\nTrue\n")


def test_format_table_list_and_out_string() -> None:
    out = run("$o = [pscustomobject]@{ Name = 'abc'; Count = 5; Extra = 'x' }\n$o | Format-Table Name, Count\n"
              "$o | Format-List Name\n($o | Out-String).Length -gt 10").out
    assert out == "\nName Count\n---- -----\nabc      5\n\n\nName : abc\n\nTrue\n"


def test_content_cmdlets(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    result = run(f"Set-Content -Path '{path}' -Value 'one', 'two'\nAdd-Content '{path}' 'three'\n"
                 f"(Get-Content '{path}').Count\nGet-Content '{path}' -TotalCount 1\n(Get-Content '{path}' -Raw).Length\n"
                 f"Test-Path '{path}'\nTest-Path '{tmp_path}/nope.txt'\nJoin-Path '{tmp_path}' 'a' 'b.txt'\n"
                 f"'out' | Out-File '{tmp_path}/o.txt'; Get-Content '{tmp_path}/o.txt'\nGet-Content '{tmp_path}/missing.txt'")
    assert result.out.splitlines() == ["3", "one", "14", "True", "False", f"{tmp_path}/a/b.txt", "out"]
    assert f"Cannot find path '{tmp_path}/missing.txt' because it does not exist." in result.err
    assert "PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand" in result.err


def test_get_date_formats() -> None:
    out = run("Get-Date -Date '2022-06-05T09:08:07' -Format 'yyyy-MM-dd HH:mm:ss'\n"
              "Get-Date -Date '2022-06-05T09:08:07' -UFormat '%Y/%m/%d'\n(Get-Date -Date '2022-06-05').DayOfWeek\n"
              "(Get-Date -Year 2020 -Month 1 -Day 2).ToString('yyyyMMdd')").out
    assert out.splitlines() == ["2022-06-05 09:08:07", "2022/06/05", "Sunday", "20200102"]


def test_read_host_secure_string_is_never_echoed() -> None:
    result = run("$name = Read-Host -Prompt 'Name'\n$pw = Read-Host 'Password' -AsSecureString\n"
                 "\"hello $name\"; $pw.Length; \"$pw\"; Write-Host $pw", stdin="bob\ns3cr3t-pass\n")
    assert "s3cr3t-pass" not in result.out and "s3cr3t-pass" not in result.err
    assert "Name: " in result.out and "hello bob" in result.out
    assert "11\nSystem.Security.SecureString\nSystem.Security.SecureString\n" in result.out


def test_write_host_and_information() -> None:
    result = run("Write-Host 'a' 'b' -Separator '-'; Write-Host 'x' -NoNewline; Write-Host 'y'\n"
                 "Write-Information 'hidden'; Write-Information 'shown' -InformationAction Continue")
    assert result.out == "a-b\nxy\nshown\n"


def test_common_parameters_on_builtins() -> None:
    result = run("Get-Content /nope/a -ErrorAction SilentlyContinue -ErrorVariable ev\n$ev.Count\n"
                 "$x = Write-Output 1, 2 -OutVariable ov; $ov.Count\n"
                 "Get-Content /nope/b -ea 0; 'ea0'\n"
                 "Select-Object -Prop Name -InputObject 1 | Out-Null; 'prefix ok'\n"
                 "Select-Object -Nope 1")
    assert result.out.splitlines() == ["1", "2", "ea0", "prefix ok"]
    assert "Select-Object : A parameter cannot be found that matches parameter name 'Nope'." in result.err
    assert "NamedParameterNotFound,Microsoft.PowerShell.Commands.SelectObjectCommand" in result.err


def test_start_sleep_and_get_help() -> None:
    result = run("Start-Sleep -Seconds 5; Start-Sleep -Milliseconds 10; (Get-Help Select-Object | Out-String) -match "
                 "'Select-Object'")
    assert result.out.strip().endswith("True")


def test_new_object_and_types() -> None:
    out = run("$o = New-Object PSObject -Property @{ A = 1 }; $o.A\n$l = New-Object System.Collections.ArrayList\n"
              "$l.Add('x'); $l.Count\n[guid]::NewGuid().ToString().Length\n[string]::IsNullOrEmpty('')\n"
              "[string]::Join(',', @('a','b'))\n[System.IO.Path]::GetFileName('/a/b.txt')").out
    assert out.splitlines() == ["1", "0", "1", "36", "True", "a,b", "b.txt"]


def test_json_output_is_valid_json() -> None:
    out = run("@([pscustomobject]@{ a = 'é\"\\'; b = 1.5 }) | ConvertTo-Json -AsArray").out
    assert json.loads(out) == [{"a": 'é"\\', "b": 1.5}]


def test_output_streams_as_statements_run() -> None:
    out = run('foreach ($i in 1..2) { Write-Host "doing $i"; [pscustomobject]@{ N = $i; Name = "item$i" } }\n"end"').out
    assert out == "doing 1\n\nN Name\n- ----\n1 item1\ndoing 2\n2 item2\n\nend\n"


def test_top_level_foreach_object_prints_per_object() -> None:
    out = run('1..2 | ForEach-Object { Write-Host "doing $_"; [pscustomobject]@{ N = $_ } }\n'
              '1..3 | ForEach-Object -Begin { $t = 0 } -Process { $t += $_ } -End { "t=$t" }').out
    assert out == "doing 1\n\nN\n-\n1\ndoing 2\n2\n\nt=6\n"


def test_pscredential_forms() -> None:
    result = run("$s = ConvertTo-SecureString 'app-s3cret!' -AsPlainText -Force\n"
                 "$c = New-Object System.Management.Automation.PSCredential ('app-id', $s)\n"
                 "$c.UserName; $c.GetNetworkCredential().Password.Length\n"
                 "$c2 = [pscredential]::new('u2', $s); $c2.UserName; ConvertFrom-SecureString $s -AsPlainText\n"
                 "$g = Get-Credential -UserName bob; $g.UserName; $g.Password.Length", stdin="typed-pw\n")
    assert result.out.splitlines()[:4] == ["app-id", "11", "u2", "app-s3cret!"]
    assert "bob" in result.out and result.out.rstrip().endswith("8")
    assert "typed-pw" not in result.out and "typed-pw" not in result.err


def test_binding_errors_underline_the_parameter() -> None:
    err = run("Select-Object -Nope 1").err
    assert "At line:1 char:15\n+ Select-Object -Nope 1\n+               ~~~~~\n" in err
