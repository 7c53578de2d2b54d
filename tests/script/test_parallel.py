"""ForEach-Object -Parallel, checked against what PowerShell documents and its Pester tests assert:
about_Foreach-Parallel and ForEach-Object's help (-Parallel, -ThrottleLimit, -TimeoutSeconds,
-AsJob, -UseNewRunspace), and PowerShell's test/powershell/Modules/Microsoft.PowerShell.Utility/
Foreach-Object-Parallel.Tests.ps1 (quoted per test as "Pester: <It name>")."""

from __future__ import annotations

import io
import time

from pscompat.script.evaluator import Interpreter
from pscompat.script.runner import run_script
from pscompat.script.scripthost import ScriptHost
from tests.script.helpers import Result, run


def run_timed(text: str) -> Result:
    """Like ``run`` but Start-Sleep really sleeps (ordering and timeout tests)."""
    out, err = io.StringIO(), io.StringIO()
    host = ScriptHost(out, err, io.StringIO())
    interp = Interpreter(host, None, None)
    code = run_script(text, None, None, host=host, interp=interp)
    return Result(code, out.getvalue(), err.getvalue(), interp)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_dollar_underbar_is_each_input() -> None:
    """Pester: "Verifies dollar underbar variable" ($_ and $PSItem are the piped object)."""
    r = run("$r = 1..10 | ForEach-Object -Parallel { $_ }; $r.Count; ($r | Sort-Object)[0]; ($r | Sort-Object)[-1]\n"
            "1..3 | ForEach-Object -Parallel { $PSItem * 10 } | Sort-Object")
    assert (r.code, r.err) == (0, "")
    assert lines(r.out) == ["10", "1", "10", "10", "20", "30"]


def test_using_variables_and_index() -> None:
    """Pester: "Verifies using variables": `$using:var; $using:varArray[1]` gives both values."""
    r = run('$var = "Hello"; $varArray = "Hello","There"\n'
            "$result = 1..1 | ForEach-Object -Parallel { $using:var; $using:varArray[1] }\n"
            "$result.Count; $result[0]; $result[1]")
    assert lines(r.out) == ["2", "Hello", "There"]


def test_caller_variables_are_invisible_without_using() -> None:
    """about_Foreach-Parallel: each block runs in its own runspace; the caller's variables are seen
    only through $using:."""
    r = run('$secret = "caller"; 1 | ForEach-Object -Parallel { "[$secret]" }')
    assert lines(r.out) == ["[]"]


def test_nested_parallel_using_is_in_scope_of_each_level() -> None:
    """Pester: "Verifies in scope using variables in nested calls" (14 results: 2 x Test1, 4 x Test2,
    8 x Test3)."""
    r = run('$Test = "Test1"\n'
            "$results = 1..2 | ForEach-Object -Parallel {\n"
            '    $using:Test; $Test = "Test2"\n'
            "    1..2 | ForEach-Object -Parallel {\n"
            '        $using:Test; $Test = "Test3"\n'
            "        1..2 | ForEach-Object -Parallel { $using:Test }\n"
            "    }\n"
            "}\n"
            "$results.Count\n"
            "($results | Where-Object { $_ -eq 'Test1' }).Count\n"
            "($results | Where-Object { $_ -eq 'Test2' }).Count\n"
            "($results | Where-Object { $_ -eq 'Test3' }).Count")
    assert (r.code, r.err) == (0, "")
    assert lines(r.out) == ["14", "2", "4", "8"]


def test_using_in_nested_script_block() -> None:
    """Pester: "Verifies using variable in nested scriptblock": `& { $using:test }` inside -Parallel."""
    r = run("$test = 'testC'; 1..2 | ForEach-Object -Parallel { & { $using:test } }")
    assert lines(r.out) == ["testC", "testC"]


def test_out_of_scope_using_in_nested_parallel() -> None:
    """Pester: "Verifies expected error for out of scope using variable in nested calls": the FQID is
    UsingVariableIsUndefined,Microsoft.PowerShell.Commands.ForEachObjectCommand."""
    r = run('$Test = "TestZ"\n'
            "1..1 | ForEach-Object -Parallel {\n"
            "    $using:Test\n"
            "    1..1 | ForEach-Object -Parallel { $using:Test }\n"
            "} -ErrorVariable usingErrors 2>$null\n"
            "$usingErrors[0].FullyQualifiedErrorId\n"
            "$usingErrors[0].Exception.Message")
    assert lines(r.out) == [
        "TestZ", "UsingVariableIsUndefined,Microsoft.PowerShell.Commands.ForEachObjectCommand",
        "The value of the using variable '$using:Test' cannot be retrieved because it has not been set in the local "
        "session."]


def test_reference_type_is_shared_value_type_is_copied() -> None:
    """about_Foreach-Parallel: a $using: reference type is the same object in every runspace (a
    hashtable or list changed inside is seen by the caller); a value type is a copy."""
    r = run("$h = @{} ; $list = [System.Collections.ArrayList]::new(); $n = 5\n"
            "1..6 | ForEach-Object -Parallel { ($using:h)[\"k$_\"] = $_; $x = $using:n; $x++; $x } | Out-Null\n"
            "1..4 | ForEach-Object -ThrottleLimit 1 -Parallel { $null = ($using:list).Add($_) }\n"
            "$h.Count; $list.Count; $n")
    assert (r.code, r.err) == (0, ""), r.err
    assert lines(r.out) == ["6", "4", "5"]


def test_assigning_to_using_is_a_parse_error() -> None:
    """PowerShell's parser refuses `$using:x = ...` (a using expression is not assignable): the script
    does not start (nothing before it runs)."""
    r = run('"before"\n$x = 1\n1 | ForEach-Object -Parallel { $using:x = 2 }\n"after"')
    assert r.code != 0 and r.out == ""
    assert "The assignment expression is not valid. The input to an assignment operator must be an object that is " \
           "able to accept assignments, such as a variable or a property." in r.err
    assert "InvalidLeftHandSide" in r.err


def test_using_outside_parallel_is_an_error() -> None:
    """`$using:` in a plain script block: "A Using variable cannot be retrieved. ..." (about_Scopes;
    FQID UsingWithoutInvokeCommand)."""
    r = run("$x = 1\ntry { 1 | ForEach-Object { $using:x } } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }")
    assert lines(r.out)[0] == "UsingWithoutInvokeCommand"
    assert lines(r.out)[1].startswith("A Using variable cannot be retrieved. A Using variable can be used only with "
                                      "Invoke-Command, Start-Job, or InlineScript in the script workflow.")


def test_caller_functions_are_not_visible() -> None:
    """about_Foreach-Parallel: functions defined in the caller are not in the new runspace."""
    r = run("function Get-Two { 2 }\n1 | ForEach-Object -Parallel { Get-Two } -ErrorVariable e 2>$null\n"
            "$e[0].FullyQualifiedErrorId")
    assert lines(r.out) == ["CommandNotFoundException"]


def test_output_arrives_in_completion_order() -> None:
    """Pester: "Verifies parallel task queuing" (10..1 with sleeps: the shortest finish first) and
    about_Foreach-Parallel: results are in completion order, not input order."""
    r = run_timed("3,1,2 | ForEach-Object -ThrottleLimit 3 -Parallel { Start-Sleep -Milliseconds ($_ * 120); $_ }")
    assert lines(r.out) == ["1", "2", "3"]


def test_throttle_limit_bounds_concurrency() -> None:
    """-ThrottleLimit N: at most N blocks run at once (default 5). Each block notes when it ran; the
    largest overlap is the limit (6 blocks of 0.15 s with limit 3; 8 with the default)."""
    def most_at_once(text: str) -> int:
        spans = [tuple(int(x) for x in line.split(",")) for line in lines(text)]
        return max(sum(1 for a, b in spans if a <= start < b) for start, _ in spans)
    block = "{ $t = [datetime]::UtcNow.Ticks; Start-Sleep -Milliseconds 150; \"$t,$([datetime]::UtcNow.Ticks)\" }"
    r = run_timed(f"1..6 | ForEach-Object -ThrottleLimit 3 -Parallel {block}")
    assert most_at_once(r.out) == 3
    r = run_timed(f"1..8 | ForEach-Object -Parallel {block}")
    assert most_at_once(r.out) == 5


def test_terminating_error_in_one_iteration_others_go_on() -> None:
    """Pester: "Verifies terminating error in multiple iterations" and "Verifies terminating error
    streaming": the thrown text, FQID PSTaskException, the rest of that block skipped."""
    r = run("$results = 1..2 | ForEach-Object -Parallel {\n"
            "    if ($_ -eq 1) { throw 'Terminating Error!'; 'Hello!' } else { 'Goodbye!' }\n"
            "} 2>&1\n"
            "$s = $results | ForEach-Object { $_.ToString() }\n"
            "$s -contains 'Hello!'; $s -contains 'Goodbye!'; $s -contains 'Terminating Error!'\n"
            "($results | Where-Object { $_ -isnot [string] }).FullyQualifiedErrorId")
    assert lines(r.out) == ["False", "True", "True", "PSTaskException"]


def test_non_terminating_error_keeps_its_id() -> None:
    """Pester: "Verifies non-terminating error streaming" (Write-Error: FQID
    Microsoft.PowerShell.Commands.WriteErrorException, text Error!) ; it lands in the caller's $Error."""
    r = run('$e = 1..1 | ForEach-Object -Parallel { Write-Error "Error!"; "still here" } 2>&1\n'
            "$e[0]; $e[1].ToString(); $e[1].FullyQualifiedErrorId\n"
            "1 | ForEach-Object -Parallel { Write-Error 'shown' } 2>$null; $Error[0].ToString()")
    assert lines(r.out) == ["still here", "Error!", "Microsoft.PowerShell.Commands.WriteErrorException", "shown"]


def test_error_action_stop_inside_the_block() -> None:
    """-ErrorAction Stop inside a block turns that iteration's error terminating; the other
    iterations run to their end. PSTask writes a new record of the exception that stopped the
    task (PSTaskException), here an ActionPreferenceStopException with its message."""
    r = run("$r = 1..3 | ForEach-Object -Parallel {\n"
            "    if ($_ -eq 2) { Write-Error \"bad $_\" -ErrorAction Stop }\n"
            '    "done $_"\n'
            "} 2>&1\n"
            "($r | Where-Object { $_ -is [string] } | Sort-Object) -join ','\n"
            "$err = $r | Where-Object { $_ -isnot [string] }; $err.ToString(); $err.FullyQualifiedErrorId")
    assert lines(r.out) == ["done 1,done 3", 'The running command stopped because the preference variable '
                            '"ErrorActionPreference" or common parameter is set to Stop: bad 2', "PSTaskException"]


def test_error_preference_of_the_runspace_is_its_own() -> None:
    """A runspace starts with default preferences and an empty $Error (per-runspace $Error)."""
    r = run("$ErrorActionPreference = 'Stop'; Write-Error 'x' -ErrorAction SilentlyContinue\n"
            "1 | ForEach-Object -Parallel { $ErrorActionPreference; $Error.Count }")
    assert lines(r.out) == ["Continue", "0"]


def test_timeout_stops_running_and_queued_iterations() -> None:
    """Pester: "Verifies timeout and throttle parameters": two 60 s blocks, -ThrottleLimit 1,
    -TimeoutSeconds: "Output 1" then one PSTaskException whose exception is a
    PipelineStoppedException; the queued block never starts."""
    start = time.perf_counter()
    r = run_timed('$results = 1..2 | ForEach-Object -Parallel { "Output $_"; Start-Sleep -Seconds 60 } '
                  "-TimeoutSeconds 1 -ThrottleLimit 1 2>&1\n"
                  "$results.Count; $results[0]; $results[1].FullyQualifiedErrorId\n"
                  "$results[1].Exception.GetType().FullName; $results[1].ToString()")
    assert time.perf_counter() - start < 5
    assert lines(r.out) == ["2", "Output 1", "PSTaskException", "System.Management.Automation.PipelineStoppedException",
                            "The pipeline has been stopped."]


def test_parallel_with_begin_is_another_parameter_set() -> None:
    """-Parallel is its own parameter set: with -Begin/-Process it cannot be resolved, and
    -ThrottleLimit without -Parallel neither (AmbiguousParameterSet)."""
    for text in ("1 | ForEach-Object -Begin { 0 } -Parallel { $_ }", "1 | ForEach-Object { $_ } -ThrottleLimit 2"):
        r = run(f"try {{ {text} }} catch {{ $_.FullyQualifiedErrorId; $_.Exception.Message }}")
        assert lines(r.out) == [
            "AmbiguousParameterSet,Microsoft.PowerShell.Commands.ForEachObjectCommand",
            "Parameter set cannot be resolved using the specified named parameters. One or more parameters issued "
            "cannot be used together or an insufficient number of parameters were provided."]


def test_refusals_with_pwsh_ids() -> None:
    """Pester: ParallelCommonParametersNotSupported (-ErrorAction, -WarningAction, ...),
    ParallelCannotUseTimeoutWithJob, ParallelUsingVariableCannotBeScriptBlock, and
    ParallelPipedInputObjectCannotBeScriptBlock (a non-terminating error)."""
    cases = {
        "1 | ForEach-Object -Parallel { 'Hello' } -ErrorAction Stop": "ParallelCommonParametersNotSupported",
        "1 | ForEach-Object -Parallel { 'Hello' } -WarningAction SilentlyContinue":
            "ParallelCommonParametersNotSupported",
        "1 | ForEach-Object -AsJob -Parallel { 'Hello' } -TimeoutSeconds 60": "ParallelCannotUseTimeoutWithJob",
        "$sb = { 'x' }; 1 | ForEach-Object -Parallel { $using:sb }": "ParallelUsingVariableCannotBeScriptBlock",
    }
    for text, error_id in cases.items():
        r = run(f"try {{ {text} }} catch {{ $_.FullyQualifiedErrorId }}")
        assert lines(r.out) == [f"{error_id},Microsoft.PowerShell.Commands.ForEachObjectCommand"], text
    r = run("$sb = { 'x' }; $e = $sb | ForEach-Object -Parallel { 'Hello' } 2>&1; $e.FullyQualifiedErrorId")
    assert lines(r.out) == ["ParallelPipedInputObjectCannotBeScriptBlock,Microsoft.PowerShell.Commands."
                            "ForEachObjectCommand"]


def test_error_variable_and_out_variable_are_supported() -> None:
    """Pester: "Verifies ErrorVariable common parameter" / "Verifies OutVariable common parameter"."""
    r = run('1..1 | ForEach-Object -Parallel { Write-Error "Error:$_" } -ErrorVariable ev 2>$null\n'
            '1..1 | ForEach-Object -Parallel { Write-Output "Output:$_" } -OutVariable ov | Out-Null\n'
            "$ev[0].ToString(); $ov[0]")
    assert lines(r.out) == ["Error:1", "Output:1"]


def test_runspaces_are_reused_unless_use_new_runspace() -> None:
    """Pester "runspace pool tests": -ThrottleLimit 2 allocates 2 runspaces for 4 blocks;
    -UseNewRunspace one per iteration (10)."""
    r = run_timed("$job = 1..4 | ForEach-Object -Parallel { Start-Sleep -Milliseconds 100 } -AsJob -ThrottleLimit 2 "
                  "| Wait-Job\n"
                  "$job.AllocatedRunspaceCount; $job | Remove-Job\n"
                  "$job = 1..10 | ForEach-Object -Parallel { $_ } -AsJob -ThrottleLimit 2 -UseNewRunspace | Wait-Job\n"
                  "$job.AllocatedRunspaceCount; $job | Remove-Job")
    assert lines(r.out) == ["2", "10"]


def test_as_job_states_and_reason() -> None:
    """Pester -AsJob: "Verifies terminating error in double iteration" (parent Failed, child 0 Failed
    with Reason.Message, child 1 Completed), "Verifies job Command property", "jobs appear in job
    repository", "Verifies jobs work with Receive-Job -AutoRemove parameter"."""
    r = run("$job = 1..2 | ForEach-Object -AsJob -Parallel {\n"
            "    if ($_ -eq 1) { throw 'Terminating Error!'; 'Goodbye!' } else { 'Hello!' }\n"
            "}\n"
            "(Get-Job) -contains $job\n"
            "$results = $job | Wait-Job | Receive-Job 2>$null\n"
            "$results; $job.PSJobTypeName; $job.JobStateInfo.State; $job.ChildJobs[0].JobStateInfo.State\n"
            "$job.ChildJobs[0].JobStateInfo.Reason.Message; $job.ChildJobs[1].JobStateInfo.State\n"
            "$job | Remove-Job\n"
            '$job = 1..1 | ForEach-Object -AsJob -Parallel {"Hello"}; $job.Command; $job.ChildJobs[0].Command\n'
            "$null = $job | Receive-Job -Wait -AutoRemoveJob; (Get-Job) -contains $job")
    assert (r.code, r.err) == (0, ""), r.err
    assert lines(r.out) == ["True", "Hello!", "PSTaskJob", "Failed", "Failed", "Terminating Error!", "Completed",
                            '"Hello"', '"Hello"', "False"]


def test_write_host_lines_from_many_tasks_are_whole() -> None:
    """Host output is written a line at a time: 8 tasks x 40 long lines, none cut or interleaved."""
    r = run("1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {\n"
            "    $n = $_; foreach ($i in 1..40) { Write-Host (\"task$n-line$i-\" + ('x' * 200) + '-end') }\n"
            "}")
    got = lines(r.out)
    assert len(got) == 320
    assert all(line.startswith("task") and line.endswith("x-end") and line.count("task") == 1 for line in got)
    assert len(set(got)) == 320


class _Clocked(io.StringIO):
    """stdout that notes when each piece of text was written."""

    def __init__(self) -> None:
        super().__init__()
        self.start = time.perf_counter()
        self.times: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        self.times.append((time.perf_counter() - self.start, text))
        return super().write(text)


def test_top_level_results_print_as_tasks_finish() -> None:
    """about_Foreach-Parallel: results are written as the script blocks finish (streamed), not when
    the last one ends: the quick task's value is on the console while the slow one still sleeps."""
    out = _Clocked()
    host = ScriptHost(out, io.StringIO(), io.StringIO())
    run_script("'fast', 'slow' | ForEach-Object -ThrottleLimit 2 -Parallel {\n"
               "    if ($_ -eq 'slow') { Start-Sleep -Milliseconds 800 }; \"done-$_\" }", None, None, host=host,
               interp=Interpreter(host, None, None))
    fast = next(t for t, text in out.times if "done-fast" in text)
    slow = next(t for t, text in out.times if "done-slow" in text)
    assert slow - fast > 0.5


def test_throttle_limit_range() -> None:
    """-ThrottleLimit is [ValidateRange(1, Int32.MaxValue)] on ForEach-Object."""
    r = run("try { 1 | ForEach-Object -Parallel { $_ } -ThrottleLimit 0 } catch { $_.FullyQualifiedErrorId; \"$_\" }")
    assert lines(r.out) == ["ParameterArgumentValidationError,Microsoft.PowerShell.Commands.ForEachObjectCommand",
                            "Cannot validate argument on parameter 'ThrottleLimit'. The 0 argument is less than the "
                            "minimum allowed range of 1. Supply an argument that is greater than or equal to 1 and then "
                            "try the command again."]


def test_concurrent_collections_shared_through_using() -> None:
    """about_Foreach-Parallel / about_Thread_Jobs: to collect results from many blocks use a
    thread-safe .NET collection passed by $using: (the same object in every runspace):
    ConcurrentBag, ConcurrentDictionary, ConcurrentQueue, [hashtable]::Synchronized, and
    [System.Threading.Interlocked]::Increment on a shared [ref] counter loses no update."""
    r = run("$bag = [System.Collections.Concurrent.ConcurrentBag[object]]::new()\n"
            "1..10 | ForEach-Object -Parallel { ($using:bag).Add($_) }\n"
            "$bag.Count; ($bag | Sort-Object) -join ','\n"
            "$dict = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()\n"
            "1..40 | ForEach-Object -ThrottleLimit 10 -Parallel { $null = ($using:dict).TryAdd(\"k$_\", $_) }\n"
            "$dict.Count; $dict['k40']\n"
            "$queue = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()\n"
            "1..200 | ForEach-Object -ThrottleLimit 10 -Parallel { ($using:queue).Enqueue($_) }\n"
            "$queue.Count\n"
            "$sync = [hashtable]::Synchronized(@{})\n"
            "1..50 | ForEach-Object -ThrottleLimit 10 -Parallel { ($using:sync)[$_] = $_ * 2 }\n"
            "$sync.Count; $sync[50]\n"
            "$counter = [ref]0\n"
            "1..300 | ForEach-Object -ThrottleLimit 10 -Parallel { $null = [System.Threading.Interlocked]::Increment("
            "$using:counter) }\n"
            "$counter.Value")
    assert (r.code, r.err) == (0, ""), r.err
    assert lines(r.out) == ["10", "1,2,3,4,5,6,7,8,9,10", "40", "40", "200", "50", "100", "300"]


def test_concurrent_bag_with_thread_jobs() -> None:
    """The issue's pattern: a ConcurrentBag[PSCustomObject] filled by thread jobs, collected with
    Receive-Job -Wait -AutoRemoveJob."""
    r = run("$results = [System.Collections.Concurrent.ConcurrentBag[PSCustomObject]]::new()\n"
            "$jobs = 1..6 | ForEach-Object { Start-ThreadJob -ArgumentList $_ { param($n) "
            "($using:results).Add([pscustomobject]@{ N = $n }) } }\n"
            "$jobs | Receive-Job -Wait -AutoRemoveJob\n"
            "$results.Count; ($results | ForEach-Object { $_.N } | Sort-Object) -join ','; @(Get-Job).Count")
    assert (r.code, r.err) == (0, ""), r.err
    assert lines(r.out) == ["6", "1,2,3,4,5,6", "0"]
