"""Jobs: Start-ThreadJob, Start-Job, Get/Wait/Receive/Stop/Remove-Job, checked against about_Jobs,
about_Thread_Jobs and PowerShell's test/powershell/Modules/Microsoft.PowerShell.Core/Job.Tests.ps1
(quoted as "Pester: <It name>") and the ThreadJob module's tests."""

from __future__ import annotations

from tests.script.helpers import run
from tests.script.test_parallel import lines, run_timed


def test_thread_job_arguments_name_and_results() -> None:
    """Pester: "Start-Job accepts arguments" ($args[1], $args[0] -> "42,<path>"), "Start-Job produces a
    job object" (-Name), "Receive-Job can retrieve job results"."""
    for start in ("Start-ThreadJob", "Start-Job"):
        r = run(f'$j = {start} -ScriptBlock {{ Write-Output $args[1]; Write-Output $args[0] }} -ArgumentList "/tmp", 42'
                f' -Name "My Job"\n'
                "(Wait-Job $j) -eq $j; $j.Name; (Receive-Job $j) -join ','; $j.State")
        assert (r.code, r.err) == (0, ""), r.err
        assert lines(r.out) == ["True", "My Job", "42,/tmp", "Completed"], start


def test_job_type_names_and_ids() -> None:
    """about_Thread_Jobs: PSJobTypeName ThreadJob; about_Jobs: Start-Job's BackgroundJob has a child
    job (so the next id is two further on), a ForEach-Object -AsJob is a PSTaskJob."""
    r = run("$a = Start-ThreadJob { 1 }; $b = Start-Job { 1 }; $c = Start-ThreadJob { 1 }\n"
            "$a.PSJobTypeName; $b.PSJobTypeName; $b.ChildJobs.Count; $c.Id - $b.Id; $b.Id - $a.Id\n"
            "$b.Location; $a.Location; Get-Job | Wait-Job | Remove-Job")
    assert lines(r.out) == ["ThreadJob", "BackgroundJob", "1", "2", "1", "localhost", "PowerShell"]


def test_receive_keep_and_has_more_data() -> None:
    """Receive-Job -Keep leaves the results (HasMoreData stays True); a plain Receive-Job takes them
    (about_Jobs; Pester "Receive-Job will retrieve partial output, including -Keep results")."""
    r = run("$j = Start-ThreadJob { 1; 2; 3 }; $null = Wait-Job $j\n"
            "$j.HasMoreData; (Receive-Job $j -Keep) -join ','; $j.HasMoreData\n"
            "(Receive-Job $j) -join ','; $j.HasMoreData; @(Receive-Job $j).Count")
    assert lines(r.out) == ["True", "1,2,3", "True", "1,2,3", "False", "0"]


def test_partial_output_while_running() -> None:
    """Pester: "Receive-Job will retrieve partial output": results written so far, in order, then more."""
    r = run_timed("$j = Start-ThreadJob { $c = 1; while ($true) { Write-Output ($c++); Start-Sleep -Milliseconds 20 } }\n"
                  "Start-Sleep -Milliseconds 300; $first = @(Receive-Job $j)\n"
                  "Start-Sleep -Milliseconds 300; $second = @(Receive-Job $j)\n"
                  "$all = $first + $second; $ok = $true\n"
                  "for ($i = 1; $i -lt $all.Count; $i++) { if ($all[$i] -ne $all[$i-1] + 1) { $ok = $false } }\n"
                  "$first.Count -gt 2; $second.Count -gt 2; $ok; $all[0]\n"
                  "Remove-Job $j -Force; $j.State")
    assert lines(r.out) == ["True", "True", "True", "1", "Stopped"]


def test_state_transitions_with_throttle() -> None:
    """about_Thread_Jobs: -ThrottleLimit queues jobs beyond the limit (NotStarted) until one ends;
    Running -> Completed; Stop-Job -> Stopped with no output and no error (Pester "Stop-Job will
    stop a job")."""
    r = run_timed("$a = Start-ThreadJob -ThrottleLimit 1 { Start-Sleep -Seconds 30 }\n"
                  "$b = Start-ThreadJob { 'second' }\n"
                  "Start-Sleep -Milliseconds 200; $a.State; $b.State\n"
                  "Stop-Job -Id $a.Id; $a.State\n"
                  "$null = Wait-Job $b -Timeout 10; $b.State; Receive-Job $b\n"
                  "$out = Receive-Job $a -ErrorVariable err; $out.Count; $err.Count\n"
                  "$null = Start-ThreadJob -ThrottleLimit 5 { }; Get-Job | Remove-Job -Force")
    assert (r.code, r.err) == (0, ""), r.err
    assert lines(r.out) == ["Running", "NotStarted", "Stopped", "Completed", "second", "0", "0"]


def test_wait_job_timeout_and_any() -> None:
    """Pester: "Wait-Job will timeout waiting for a job" (nothing returned); Wait-Job -Any returns
    the first job to finish."""
    r = run_timed("$slow = Start-ThreadJob { Start-Sleep -Seconds 30 }; $fast = Start-ThreadJob { Start-Sleep -Milliseconds 50 }\n"
                  "$r = Wait-Job -Timeout 1 $slow; $null -eq $r\n"
                  "(Wait-Job -Any $slow, $fast) -eq $fast\n"
                  "Get-Job | Remove-Job -Force; @(Get-Job).Count")
    assert lines(r.out) == ["True", "True", "0"]


def test_remove_running_job_needs_force() -> None:
    """Pester: "Remove-Job will not remove a running job" and "Remove-Job -Force will remove a running
    job"; the error is JobObjectNotFinishedCannotBeRemoved, an ArgumentException naming the parameter
    (pwsh: "... or use the Force parameter. (Parameter 'SessionId')" for -Id)."""
    r = run_timed("$j = Start-ThreadJob { Start-Sleep -Seconds 30 }; Start-Sleep -Milliseconds 100\n"
                  "Remove-Job $j -ErrorVariable e -ErrorAction SilentlyContinue\n"
                  "(Get-Job -Id $j.Id) -eq $j; $e[0].FullyQualifiedErrorId; $e[0].ToString().Replace([string]$j.Id, 'N')\n"
                  "Remove-Job $j -Force; $x = Get-Job -Id $j.Id -ErrorAction SilentlyContinue; $null -eq $x")
    assert lines(r.out) == [
        "True", "JobObjectNotFinishedCannotBeRemoved,Microsoft.PowerShell.Commands.RemoveJobCommand",
        "The command cannot remove the job with the job ID N because the job is not finished. To remove the job, "
        "first stop the job, or use the Force parameter. (Parameter 'Job')", "True"]


def test_receive_wait_auto_remove() -> None:
    """Receive-Job -Wait -AutoRemoveJob (the issue's bulk pattern): results, then the job is gone."""
    r = run("$j = Start-ThreadJob { 'a'; 'b' }; (Receive-Job $j -Wait -AutoRemoveJob) -join ','\n"
            "(Get-Job) -contains $j\n"
            "Start-ThreadJob { 'piped' } | Receive-Job -Wait -AutoRemoveJob; @(Get-Job).Count")
    assert lines(r.out) == ["a,b", "False", "piped", "0"]


def test_job_errors_are_written_again_on_receive() -> None:
    """about_Jobs: a job's errors come back with Receive-Job (same message and FQID); a throw fails
    the job (State Failed, JobStateInfo.Reason)."""
    r = run("$j = Start-ThreadJob { Write-Error 'soft'; 'out'; throw 'hard' }; $null = Wait-Job $j\n"
            "$r = Receive-Job $j 2>&1\n"
            "$r[0]; $r[1].ToString(); $r[1].FullyQualifiedErrorId; $r[2].ToString(); $j.State\n"
            "$j.JobStateInfo.Reason.Message")
    assert lines(r.out) == ["out", "soft", "Microsoft.PowerShell.Commands.WriteErrorException", "hard", "Failed",
                            "hard"]


def test_get_job_filters_and_not_found() -> None:
    """Get-Job -Name (wildcards) / -State / -Id; an unknown id is JobWithSpecifiedSessionNotFound
    ("The command cannot find a job with the job ID 4242. ...")."""
    r = run("$a = Start-ThreadJob -Name alpha { 1 }; $b = Start-ThreadJob -Name beta { 2 }; $null = Wait-Job $a, $b\n"
            "(Get-Job -Name al*).Name; @(Get-Job -State Completed).Count; (Get-Job -Id $b.Id).Name\n"
            "Get-Job -Id 4242 -ErrorVariable e 2>$null; $e[0].FullyQualifiedErrorId; $e[0].ToString()")
    assert lines(r.out) == [
        "alpha", "2", "beta", "JobWithSpecifiedSessionNotFound,Microsoft.PowerShell.Commands.GetJobCommand",
        "The command cannot find a job with the job ID 4242. Verify the value of the Id parameter and then try the "
        "command again."]


def test_input_object_reaches_input() -> None:
    """Start-ThreadJob -InputObject / pipeline input is the script block's $input."""
    r = run("(1, 2, 3 | Start-ThreadJob { $input | ForEach-Object { $_ * 2 } } | Receive-Job -Wait) -join ','\n"
            "(Start-ThreadJob -InputObject 5 { $input } | Receive-Job -Wait -AutoRemoveJob)")
    assert lines(r.out) == ["2,4,6", "5"]


def test_start_job_results_are_deserialized_copies() -> None:
    """Start-Job runs in another process in pwsh: results are deserialized (TypeNames
    Deserialized.*) and a $using: object is a copy; a thread job shares it (about_Thread_Jobs)."""
    r = run("$h = @{ n = 1 }\n"
            "$o = Start-Job { [pscustomobject]@{ A = 1 }; ($using:h).n = 2 } | Receive-Job -Wait -AutoRemoveJob\n"
            "$o.PSObject.TypeNames[0]; $h.n\n"
            "$null = Start-ThreadJob { ($using:h).n = 3 } | Receive-Job -Wait -AutoRemoveJob; $h.n")
    assert lines(r.out) == ["Deserialized.System.Management.Automation.PSCustomObject", "1", "3"]


def test_default_table_view() -> None:
    """Get-Job prints pwsh's table: Id Name PSJobTypeName State HasMoreData Location Command."""
    r = run("$null = Start-ThreadJob -Name t1 { 'x' } | Wait-Job; Get-Job")
    head = lines(r.out)
    assert head[0].split() == ["Id", "Name", "PSJobTypeName", "State", "HasMoreData", "Location", "Command"]
    assert head[2].split()[1:6] == ["t1", "ThreadJob", "Completed", "True", "PowerShell"]


def test_initialization_script_runs_first_in_the_job() -> None:
    """Start-ThreadJob -InitializationScript: run before the script block, in the same session (its
    functions are there); its output comes first."""
    r = run("Start-ThreadJob -InitializationScript { function Get-Greeting { \"hi $args\" }; 'init' } "
            "{ Get-Greeting you } | Receive-Job -Wait -AutoRemoveJob")
    assert lines(r.out) == ["init", "hi you"]


def test_wait_inside_a_stopped_task_ends() -> None:
    """A -Parallel block stopped by -TimeoutSeconds while it waits on a job ends too (it does not wait
    for the job): "started", then the block's PipelineStoppedException, within the timeout."""
    r = run_timed("$r = 1 | ForEach-Object -TimeoutSeconds 1 -Parallel {\n"
                  "    $j = Start-ThreadJob { Start-Sleep 30 }; 'started'; $j | Wait-Job; 'never' } 2>&1\n"
                  "$r | ForEach-Object { \"$_\" }")
    assert lines(r.out) == ["started", "The pipeline has been stopped."]


def test_receive_job_parameter_combinations_refused() -> None:
    """ReceiveJobCommand's checks (RemotingErrorIdStrings): -Wait with -Keep, -AutoRemoveJob without -Wait."""
    r = run("$j = Start-ThreadJob { 1 }; $null = Wait-Job $j\n"
            "try { Receive-Job $j -Wait -Keep } catch { $_.Exception.Message }\n"
            "try { Receive-Job $j -AutoRemoveJob } catch { $_.Exception.Message }\n"
            "Receive-Job $j")
    assert lines(r.out) == ["The Wait and Keep parameters cannot be used together in the same command.",
                            "The -AutoRemoveJob parameter cannot be used without the -Wait parameter", "1"]


def test_job_host_output_waits_for_receive() -> None:
    """about_Thread_Jobs: a thread job's Write-Host text goes to its information stream (no
    -StreamingHost), shown when the job is received, not while it runs."""
    r = run("$j = Start-ThreadJob { Write-Host 'from the job'; 'value' }; $null = Wait-Job $j\n"
            "'before receive'\n"
            "Receive-Job $j")
    got = lines(r.out)
    assert got[0] == "before receive" and sorted(got[1:]) == ["from the job", "value"]


def test_job_output_is_the_blocks_own() -> None:
    """What a job returns is its block's output once, in order: not a param default's $(...) nor
    a function's private list."""
    r = run("Start-ThreadJob { param($x = $(Get-Date -Year 2020 -Format yyyy)) \"x=$x\"; function f { 'in f' }; f; "
            "'end' } | Receive-Job -Wait -AutoRemoveJob")
    assert lines(r.out) == ["x=2020", "in f", "end"]


def test_receive_wait_prints_as_results_arrive() -> None:
    """Receive-Job -Wait at the end of a top-level pipeline writes each result when the job writes
    it (not all at the end): the first line is on the console while the job still sleeps."""
    import io

    from pscompat.script.evaluator import Interpreter
    from pscompat.script.runner import run_script
    from pscompat.script.scripthost import ScriptHost
    from tests.script.test_parallel import _Clocked
    out = _Clocked()
    host = ScriptHost(out, io.StringIO(), io.StringIO())
    run_script("Start-ThreadJob { 'first'; Start-Sleep -Milliseconds 700; 'second' } | Receive-Job -Wait -AutoRemoveJob",
               None, None, host=host, interp=Interpreter(host, None, None))
    first = next(t for t, text in out.times if "first" in text)
    second = next(t for t, text in out.times if "second" in text)
    assert second - first > 0.4


def test_get_command_lists_the_job_cmdlets() -> None:
    """The new cmdlets are commands like the others (Get-Command finds them)."""
    names = ["Start-ThreadJob", "Start-Job", "Get-Job", "Wait-Job", "Receive-Job", "Stop-Job", "Remove-Job"]
    r = run(f"(Get-Command {', '.join(names)}).Name")
    assert sorted(lines(r.out)) == sorted(names)
