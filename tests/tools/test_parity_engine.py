"""The parity engine on captured runs: normalisation, diff, and known-difference matching."""

from __future__ import annotations

from pscompat.tools.compare import classify, diff_traces
from pscompat.tools.families import load_families
from pscompat.tools.parity import Subject, applicable_rules, compare_captures
from pscompat.tools.sidebyside import render_side_by_side, summary
from pscompat.tools.trace import CapturedRequest, normalise

from .captured import USER, capture

PNP = "New-PnPAzureADUserTemporaryAccessPass"
MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"


def _rules(a: str, b: str):  # type: ignore[no-untyped-def]
    return applicable_rules(Subject(a), Subject(b))


def test_identical_commands_have_no_differences_despite_new_ids_and_passes() -> None:
    a = capture(PNP, ["-Identity", USER["userPrincipalName"]], secret="AAAA+111", pass_id="a" * 8 + "-1111-1111-1111-111111111111")
    b = capture(PNP, ["-Identity", USER["userPrincipalName"]], secret="BBBB+222", pass_id="b" * 8 + "-2222-2222-2222-222222222222")
    verdict = compare_captures(a, b, [])
    assert verdict.ok and verdict.differences == []
    assert "AAAA+111" not in repr(normalise(a)), "the pass must never reach a trace"


def test_pnp_and_mg_forms_differ_exactly_by_the_documented_differences() -> None:
    pnp_cmd = f"{PNP} -Identity {USER['id']} -StartDateTime 2030-01-02T03:04:05Z -LifeTimeInMinutes 60"
    mg_cmd = f"{MG} -UserId {USER['id']} -StartDateTime 2030-01-02T03:04:05Z -LifetimeInMinutes 60"
    a = capture(PNP, pnp_cmd.split()[1:], start="2030-01-02T03:04:05Z")
    b = capture(MG, mg_cmd.split()[1:], start="2030-01-02T03:04:05Z")
    verdict = compare_captures(a, b, _rules(pnp_cmd, mg_cmd))
    assert verdict.ok, render_side_by_side(verdict, normalise(a), normalise(b))
    assert verdict.known_ids == ["api-version", "datetime-serialisation", "isusableonce-always-sent",
                                 "odata-type", "output-additional-properties", "output-type"]
    # the same pair the other way round is explained too
    reverse = compare_captures(b, a, _rules(mg_cmd, pnp_cmd))
    assert reverse.ok and reverse.known_ids == verdict.known_ids
    # and --exact accepts none of them
    assert not compare_captures(a, b, _rules(pnp_cmd, mg_cmd), exact=True).ok


def test_a_real_difference_fails() -> None:
    pnp_cmd = f"{PNP} -Identity {USER['id']} -LifeTimeInMinutes 60"
    mg_cmd = f"{MG} -UserId {USER['id']} -LifetimeInMinutes 90 -IsUsableOnce:$false"
    a = capture(PNP, pnp_cmd.split()[1:], lifetime=60)
    b = capture(MG, mg_cmd.split()[1:], lifetime=90)
    verdict = compare_captures(a, b, _rules(pnp_cmd, mg_cmd))
    assert not verdict.ok
    paths = {d.path for d in verdict.unexpected}
    assert any(p.endswith(".body.lifetimeInMinutes") for p in paths)
    assert "state.users[johndoe@contoso.onmicrosoft.com].pass.lifetimeInMinutes" in paths
    assert "output[1].LifetimeInMinutes" in paths
    text = render_side_by_side(verdict, normalise(a), normalise(b))
    assert "UNEXPECTED" in text and "known: api-version" in text
    assert summary(verdict).startswith("parity FAILED")


def test_same_module_excuses_nothing() -> None:
    a_cmd = f"{PNP} -Identity {USER['id']}"
    b_cmd = f"{PNP} -Identity {USER['id']} -IsUsableOnce"
    assert _rules(a_cmd, b_cmd) == []
    a = capture(PNP, a_cmd.split()[1:])
    b = capture(PNP, b_cmd.split()[1:], once=True)
    verdict = compare_captures(a, b, [])
    assert {d.path.rsplit(".", 1)[-1] for d in verdict.unexpected} >= {"isUsableOnce", "IsUsableOnce"}


def test_isusableonce_false_makes_the_mg_body_identical() -> None:
    pnp_cmd = f"{PNP} -Identity {USER['id']}"
    mg_cmd = f"{MG} -UserId {USER['id']} -IsUsableOnce:$false"
    verdict = compare_captures(capture(PNP, pnp_cmd.split()[1:]), capture(MG, mg_cmd.split()[1:]),
                               _rules(pnp_cmd, mg_cmd))
    assert verdict.ok and "isusableonce-always-sent" not in verdict.known_ids


def test_missing_always_difference_fails() -> None:
    """If both sides called the same version, the documented beta/v1.0 claim would be false."""
    pnp_cmd = f"{PNP} -Identity {USER['id']}"
    mg_cmd = f"{MG} -UserId {USER['id']}"
    a = capture(PNP, pnp_cmd.split()[1:])
    b = capture(MG, mg_cmd.split()[1:])
    a.requests[0] = CapturedRequest(a.requests[0].method, a.requests[0].url.replace("/beta/", "/v1.0/"),
                                    a.requests[0].headers, a.requests[0].body, 201)
    verdict = compare_captures(a, b, _rules(pnp_cmd, mg_cmd))
    assert not verdict.ok and verdict.missing_always == ["api-version"]


def test_user_lookup_pipeline_difference_is_known() -> None:
    pnp_cmd = f"Get-PnPAzureADUser -Identity {USER['userPrincipalName']} | {PNP} -LifeTimeInMinutes 60"
    mg_cmd = f"{MG} -UserId {USER['userPrincipalName']} -LifetimeInMinutes 60 -IsUsableOnce:$false"
    lookup = CapturedRequest("GET", "https://graph.microsoft.com/v1.0/users?$filter=userPrincipalName%20eq%20'x'",
                             [("ConsistencyLevel", "eventual")], b"", 200)
    a = capture(PNP, ["-Identity", USER["id"], "-LifeTimeInMinutes", "60"], extra=[lookup])
    b = capture(MG, mg_cmd.split()[1:])
    verdict = compare_captures(a, b, _rules(pnp_cmd, mg_cmd))
    assert verdict.ok, render_side_by_side(verdict, normalise(a), normalise(b))
    assert "user-lookup" in verdict.known_ids and "upn-encoding" in verdict.known_ids


def test_users_are_compared_by_identity_not_by_spelling() -> None:
    a = normalise(capture(MG, ["-UserId", USER["id"]]))
    b = normalise(capture(MG, ["-UserId", USER["userPrincipalName"].upper()]))
    diffs = diff_traces(a, b)
    assert [d.path.rsplit(".", 1)[-1] for d in diffs] == ["raw_path"]


def test_every_known_difference_pattern_is_reachable() -> None:
    """Each `where` in _families.yaml matches a path the normaliser can produce."""
    sample = {
        "requests[POST /users/{user}/authentication/temporaryAccessPassMethods#1].api_version",
        "requests[POST /users/{user}/authentication/temporaryAccessPassMethods#1].body.@odata.type",
        "requests[POST /users/{user}/authentication/temporaryAccessPassMethods#1].body.isUsableOnce",
        "requests[POST /users/{user}/authentication/temporaryAccessPassMethods#1].body.startDateTime",
        "requests[POST /users/{user}/authentication/temporaryAccessPassMethods#1].raw_path",
        "requests[GET /users#1]", "requests[GET /users/{user}#1]", "output[1].type", "output[1].AdditionalProperties", "output[1]", "errors[1].message", "errors[1].fqid",
        "errors[1].category", "errors[1]", "connection.scopes",
    }
    from pscompat.tools.compare import _pattern
    for family in load_families().values():
        for rule in family.differences:
            assert any(_pattern(rule.where).match(p) for p in sample), rule.id


def test_classify_without_rules_is_exact() -> None:
    a = {"run": {"exit_code": 0}}
    b = {"run": {"exit_code": 1}}
    verdict = classify(a, b, [])
    assert not verdict.ok and verdict.unexpected[0].path == "run.exit_code"
    assert classify(a, dict(a), []).ok
    # True and 1 are different values in a trace
    assert not classify({"g": {"x": True}}, {"g": {"x": 1}}, []).ok
