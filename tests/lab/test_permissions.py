"""Permissions and delegated role rules (facts/graph-tap.md, "Permissions")."""

from __future__ import annotations

import pytest

from tests.lab.conftest import ADELE, POLICY, READER_APP, TAP_APP, Graph, taps

ADMIN_UPN = "admin@contoso.lab"
AUTH_ADMIN = "authadmin@contoso.lab"


def test_app_permissions(graph: Graph) -> None:
    reader = graph.as_(READER_APP)
    assert reader.post(taps(ADELE), json={}).status_code == 403
    created = graph.post(taps(ADELE), json={}).json()
    assert reader.get(taps(ADELE)).status_code == 200
    assert reader.get(f"{taps(ADELE)}/{created['id']}").status_code == 200
    assert reader.delete(f"{taps(ADELE)}/{created['id']}").status_code == 403
    assert reader.get(POLICY).status_code == 200
    assert reader.patch(POLICY, json={"isUsableOnce": True}).status_code == 403


def test_least_privileged_tap_permission_is_honoured(graph: Graph) -> None:
    tap_only = graph.as_(TAP_APP)
    created = tap_only.post(taps(ADELE), json={})
    assert created.status_code == 201
    assert tap_only.get(taps(ADELE)).status_code == 200
    assert tap_only.delete(f"{taps(ADELE)}/{created.json()['id']}").status_code == 204
    assert tap_only.get(POLICY).status_code == 403


def test_permissions_override(graph: Graph) -> None:
    limited = graph.as_(permissions=["UserAuthenticationMethod.Read.All"])
    assert limited.post(taps(ADELE), json={}).status_code == 403
    assert limited.get(taps(ADELE)).status_code == 200


@pytest.mark.parametrize(("caller", "target", "allowed"), [
    (ADMIN_UPN, "AdeleV@contoso.lab", True),
    (ADMIN_UPN, AUTH_ADMIN, True),
    ("privauthadmin@contoso.lab", ADMIN_UPN, True),         # PAA may target admins
    ("privauthadmin@contoso.lab", "AdeleV@contoso.lab", True),
    (AUTH_ADMIN, "AdeleV@contoso.lab", True),                # AA: members only
    (AUTH_ADMIN, ADMIN_UPN, False),
    (AUTH_ADMIN, "reader@contoso.lab", False),
    ("reader@contoso.lab", "AdeleV@contoso.lab", False),    # Global Reader: read only
    ("policyadmin@contoso.lab", "AdeleV@contoso.lab", False),
    ("AlexW@contoso.lab", "AdeleV@contoso.lab", False),     # no role at all
])
def test_delegated_roles_for_create(graph: Graph, caller: str, target: str, allowed: bool) -> None:
    r = graph.as_(user=caller).post(taps(target), json={})
    assert r.status_code == (201 if allowed else 403), r.text
    if not allowed:
        assert r.json()["error"]["code"] == "Authorization_RequestDenied"


def test_nobody_creates_a_pass_for_themselves(graph: Graph) -> None:
    for upn in (ADMIN_UPN, "privauthadmin@contoso.lab", AUTH_ADMIN):
        me = graph.as_(user=upn)
        assert me.post(taps(upn), json={}).status_code == 403
        assert me.post("/me/authentication/temporaryAccessPassMethods", json={}).status_code == 403
        assert me.get("/me/authentication/temporaryAccessPassMethods").status_code == 200


def test_global_reader_reads_but_never_sees_the_pass(graph: Graph) -> None:
    graph.post(taps(ADELE), json={})
    reader = graph.as_(user="reader@contoso.lab", scopes=["UserAuthenticationMethod.Read.All", "Policy.Read.All"])
    listed = reader.get(taps(ADELE))
    assert listed.status_code == 200 and listed.json()["value"][0]["temporaryAccessPass"] is None
    assert reader.get(POLICY).status_code == 200
    assert reader.patch(POLICY, json={"isUsableOnce": True}).status_code == 403


def test_delegated_policy_roles(graph: Graph) -> None:
    assert graph.as_(user="policyadmin@contoso.lab").patch(POLICY, json={"isUsableOnce": True}).status_code == 204
    assert graph.as_(user=AUTH_ADMIN).patch(POLICY, json={"isUsableOnce": False}).status_code == 403
    assert graph.as_(user="AlexW@contoso.lab").get(POLICY).status_code == 403


def test_delegated_scope_is_required_too(graph: Graph) -> None:
    admin = graph.as_(user=ADMIN_UPN, scopes=["User.Read"])
    assert admin.post(taps(ADELE), json={}).status_code == 403
    assert admin.get("/me").status_code == 200
