"""``[ref]`` (issue 10) and the thread-safe .NET types of parallel scripts (issue 15 item 1).

Facts: about_Ref ("[ref]$var passes a reference; .Value reads and writes the variable";
a function parameter typed [ref] needs a reference: PowerShell's binder says "Cannot process
argument transformation on parameter 'n'. Reference type is expected in argument.");
about_Thread_Jobs and about_Foreach-Parallel ("Use thread-safe types such as
System.Collections.Concurrent.ConcurrentBag / ConcurrentDictionary when several threads write";
the about_Foreach-Parallel example ``$threadSafeDictionary = [System.Collections.Concurrent.
ConcurrentDictionary[string,object]]::new()`` filled from ``$using:``); .NET's documented
semantics of each member (TryTake/TryDequeue return False and the default when empty,
Interlocked.Increment returns the incremented value, Hashtable.Synchronized wraps the same table).
"""

from __future__ import annotations

import threading

import pytest

from pscompat.script.concurrent import interlocked, new_concurrent
from pscompat.values import PSReference

from .helpers import run


def lines(text: str) -> list[str]:
    r = run(text)
    assert r.code == 0, r.err
    return r.out.splitlines()


def test_ref_reads_and_writes_the_variable() -> None:
    assert lines("$x = 1; $r = [ref]$x; $r.Value = 5; $x; $r.Value") == ["5", "5"]
    assert lines("function Add-One([ref]$n) { $n.Value++ }; $c = 1; Add-One ([ref]$c); Add-One ([ref]$c); $c") \
        == ["3"]
    assert lines("$r = [ref]7; $r.Value; $r -is [ref]; $r.Value = 8; $r.Value") == ["7", "True", "8"]
    # a reference to a variable of an outer scope writes that variable
    assert lines("$t = 'a'; function Set-It { $r = [ref]$t; $r.Value = 'b' }; Set-It; $t") == ["b"]


def test_ref_parameter_needs_a_reference() -> None:
    r = run("function f([ref]$n) { }; f 5")
    assert "Cannot process argument transformation on parameter 'n'. Reference type is expected in argument." \
        in r.err
    assert "ParameterArgumentTransformationError" in r.err


def test_out_parameters_through_ref() -> None:
    assert lines('$n = 0; [int]::TryParse("42", [ref]$n); $n; [int]::TryParse("x", [ref]$n); $n') == \
        ["True", "42", "False", "0"]
    assert lines('$d = $null; [datetime]::TryParse("2030-06-05", [ref]$d); $d.Year') == ["True", "2030"]
    assert lines('$b = $null; [bool]::TryParse("TRUE", [ref]$b); $b') == ["True", "True"]


def test_concurrent_bag_queue_stack() -> None:
    assert lines("$b = [System.Collections.Concurrent.ConcurrentBag[object]]::new(); $b.Add(1); $b.Add(2); "
                 "$b.Count; $b; $b.GetType().Name; $b -is [System.Collections.Concurrent.ConcurrentBag[object]]") == \
        ["2", "2", "1", "ConcurrentBag`1", "True"]
    assert lines("$q = [System.Collections.Concurrent.ConcurrentQueue[int]]::new(); $q.Enqueue('5'); $q.Enqueue(6); "
                 "$v = $null; $q.TryDequeue([ref]$v); $v; $v.GetType().Name; $q.Count; $q.TryPeek([ref]$v); $v") == \
        ["True", "5", "Int32", "1", "True", "6"]
    assert lines("$s = [Collections.Concurrent.ConcurrentStack[string]]::new(); $s.Push('a'); $s.Push('b'); "
                 "$v = $null; $s.TryPop([ref]$v); $v; $s.TryPop([ref]$v); $s.TryPop([ref]$v); $v -eq $null") == \
        ["True", "b", "True", "False", "True"]
    r = run("$b = [System.Collections.Concurrent.ConcurrentBag[int]]::new(); $b.Add('x')")
    assert 'Cannot convert argument "item", with value: "x", for "Add" to type "int"' in r.err


def test_concurrent_dictionary() -> None:
    out = lines("$d = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new(); "
                "$d.TryAdd('a', 1); $d.TryAdd('a', 2); $d['b'] = 2; "
                "$d.AddOrUpdate('a', 1, { param($k, $old) $old + 10 }); $d.GetOrAdd('c', { param($k) 30 }); "
                "$d.ContainsKey('A'); $v = 0; $d.TryRemove('b', [ref]$v); $v; $d['missing'] -eq $null; "
                "$d.Keys | Sort-Object; foreach ($p in $d) { '{0}={1}' -f $p.Key, $p.Value }")
    assert out[:8] == ["True", "False", "11", "30", "False", "True", "2", "True"]   # keys are case-sensitive
    assert out[8:10] == ["a", "c"] and sorted(out[10:]) == ["a=11", "c=30"]


def test_interlocked_and_synchronized_hashtable() -> None:
    assert lines("$n = 5; [System.Threading.Interlocked]::Increment([ref]$n); $n; "
                 "[System.Threading.Interlocked]::Add([ref]$n, 10); "
                 "[System.Threading.Interlocked]::CompareExchange([ref]$n, 0, 16); $n") == ["6", "6", "16", "16", "0"]
    assert lines("$h = @{a = 1}; $s = [hashtable]::Synchronized($h); $s.b = 2; $s.IsSynchronized; $h.IsSynchronized; "
                 "$h.b") == ["True", "False", "2"]


def test_parallel_iterations_lose_nothing() -> None:
    """about_Foreach-Parallel: a $using: reference type is the same object in every runspace."""
    out = lines("$bag = [System.Collections.Concurrent.ConcurrentBag[object]]::new()\n"
                "$dict = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()\n"
                "$counter = [ref]0\n"
                "1..200 | ForEach-Object -ThrottleLimit 10 -Parallel {\n"
                "  ($using:bag).Add($_)\n"
                "  [void]($using:dict).AddOrUpdate('k', 1, { param($k, $o) $o + 1 })\n"
                "  [void][System.Threading.Interlocked]::Increment($using:counter)\n"
                "}\n"
                "$bag.Count; $dict['k']; $counter.Value\n"
                "$jobs = 1..4 | ForEach-Object { Start-ThreadJob -ArgumentList $bag "
                "-ScriptBlock { param($b) foreach ($i in 1..50) { $b.Add($i) } } }\n"
                "$null = $jobs | Wait-Job; $bag.Count")
    assert out == ["200", "200", "200", "400"]


def test_python_threads_hammering_the_types() -> None:
    bag = new_concurrent("System.Collections.Concurrent.ConcurrentBag[int]", [])
    queue = new_concurrent("System.Collections.Concurrent.ConcurrentQueue[object]", [])
    ref = PSReference.of_value(0)

    def work() -> None:
        for i in range(2000):
            bag.ps_call("Add", [i])
            queue.ps_call("Enqueue", [i])
            interlocked("Increment", [ref])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert bag.ps_property("Count") == (True, 16000)
    assert queue.ps_property("Count") == (True, 16000)
    assert ref.value == 16000


@pytest.mark.parametrize("name", ["ConcurrentBag", "ConcurrentQueue[int,string]", "ConcurrentFoo[int]"])
def test_unknown_or_malformed_types_are_refused(name: str) -> None:
    r = run(f"$x = [System.Collections.Concurrent.{name}]::new()")
    assert r.code == 1 and f"Unable to find type [System.Collections.Concurrent.{name}]." in r.err
