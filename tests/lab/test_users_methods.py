"""Users writes, $search, authentication methods, revokeSignInSessions and the methods policy:
Graph's wire format and errors, in-process and through msgraph-sdk over loopback."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from pscompat.lab import asgi_transport
from pscompat.lab.core import Lab
from pscompat.lab.methods import PASSWORD_METHOD_ID
from pscompat.lab.models import SCHEMA_VERSION
from tests.lab.conftest import ADELE, ADELE_UPN, GRAPH, NONE_APP, SECRETS, Graph

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
NEW = {"accountEnabled": True, "displayName": "Nina New", "mailNickname": "nina",
       "userPrincipalName": "nina@contoso.lab", "passwordProfile": {"password": "Nina-Secret-42!"}}
EVENTUAL = {"ConsistencyLevel": "eventual"}
POLICY_ROOT = "/policies/authenticationMethodsPolicy"


def err(resp: httpx.Response) -> tuple[int, str, str]:
    e = resp.json()["error"]
    return resp.status_code, e["code"], e["message"]


def test_create_patch_delete_user(graph: Graph, lab: Lab) -> None:
    r = graph.post("/users", json=NEW)
    assert r.status_code == 201
    body = r.json()
    assert list(body)[:3] == ["@odata.context", "id", "businessPhones"]
    assert body["@odata.context"] == f"{GRAPH}/$metadata#users/$entity"
    assert body["userPrincipalName"] == "nina@contoso.lab"
    raw = lab.store.path.read_bytes() + lab.store.path.with_name("lab.db-wal").read_bytes()
    assert b"Nina-Secret-42!" not in raw
    assert err(graph.post("/users", json={**NEW, "userPrincipalName": "NINA@contoso.lab"})) == (
        400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.")
    assert err(graph.post("/users", json={k: v for k, v in NEW.items() if k != "mailNickname"})) == (
        400, "Request_BadRequest", "Invalid value specified for property 'mailNickname' of resource 'User'.")
    assert err(graph.post("/users", json={**NEW, "userPrincipalName": "x@fabrikam.com"}))[2].startswith(
        "The domain portion of the userPrincipalName property is invalid.")
    assert err(graph.post("/users", json={**NEW, "shoeSize": 4}))[2].startswith(
        "The property 'shoeSize' does not exist on type 'microsoft.graph.user'.")
    uid = body["id"]
    assert graph.patch(f"/users/{uid}", json={"accountEnabled": False, "department": "Sales"}).status_code == 204
    got = graph.get(f"/users/{uid}?$select=accountEnabled,department").json()
    assert got["accountEnabled"] is False and got["department"] == "Sales"
    assert err(graph.patch(f"/users/{uid}", json={"userPrincipalName": ADELE_UPN}))[0] == 400
    assert graph.delete(f"/users/{uid}").status_code == 204
    assert err(graph.get(f"/users/{uid}"))[:2] == (404, "Request_ResourceNotFound")
    assert err(graph.delete(f"/users/{uid}"))[:2] == (404, "Request_ResourceNotFound")
    assert err(graph.as_(NONE_APP).post("/users", json=NEW))[0] == 403


def test_new_user_password_signs_in(graph: Graph, lab: Lab) -> None:
    graph.post("/users", json=NEW)
    from pscompat.lab.auth import check_keyed_hash
    user = lab.store.find_user("nina@contoso.lab")
    assert user is not None
    salt, digest = lab.store.user_password(user.id)
    assert salt and digest and check_keyed_hash(lab.secret_key, salt, "Nina-Secret-42!", digest)


def test_filter_search_count_and_paging(graph: Graph) -> None:
    r = graph.get("/users?$filter=department eq 'Sales' or startswith(displayName,'Adele')&$select=id")
    assert r.status_code == 200 and r.json()["value"]
    r = graph.get("/users?$filter=userPrincipalName in ('AdeleV@contoso.lab','nobody@contoso.lab')")
    assert [u["id"] for u in r.json()["value"]] == [ADELE]
    assert err(graph.get("/users?$filter=officeLocation eq 'x'")) == (
        400, "Request_UnsupportedQuery",
        "Unsupported or invalid query filter clause specified for property 'officeLocation' of resource 'User'.")
    assert err(graph.get('/users?$search="displayName:adele"')) == (
        400, "Request_UnsupportedQuery",
        "Request with $search query parameter only works through MSGraph with a special request header: "
        "'ConsistencyLevel: eventual'")
    r = graph.get('/users?$search="displayName:adele"&$count=true', headers=EVENTUAL)
    assert r.json()["@odata.count"] == 1 and r.json()["value"][0]["id"] == ADELE
    assert err(graph.get("/users?$search=adele", headers=EVENTUAL))[:2] == (400, "Request_UnsupportedQuery")
    pages, url = [], "/users?$top=5"
    while url:
        body = graph.get(url.replace(GRAPH, "")).json()
        pages.append(body["value"])
        url = body.get("@odata.nextLink")
    assert len(pages) > 2 and all(len(p) <= 5 for p in pages)
    assert len({u["id"] for p in pages for u in p}) == sum(len(p) for p in pages)


def test_methods_listing_and_rules(graph: Graph) -> None:
    graph.post(f"/users/{ADELE_UPN}/authentication/temporaryAccessPassMethods", json={})
    r = graph.get(f"/users/{ADELE_UPN}/authentication/methods")
    assert r.status_code == 200
    body = r.json()
    assert body["@odata.context"].endswith("/$metadata#users('AdeleV%40contoso.lab')/authentication/methods")
    types = [m["@odata.type"] for m in body["value"]]
    assert types[0] == "#microsoft.graph.passwordAuthenticationMethod"
    assert types[-1] == "#microsoft.graph.temporaryAccessPassAuthenticationMethod"
    assert body["value"][0]["id"] == PASSWORD_METHOD_ID and body["value"][0]["password"] is None
    assert all(m["temporaryAccessPass"] is None for m in body["value"] if "temporaryAccessPass" in m)
    others = [m for m in body["value"][1:-1]]
    assert others
    pw = graph.get(f"/users/{ADELE_UPN}/authentication/passwordMethods/{PASSWORD_METHOD_ID}")
    assert pw.status_code == 200 and pw.json()["@odata.type"] == "#microsoft.graph.passwordAuthenticationMethod"
    assert err(graph.delete(f"/users/{ADELE_UPN}/authentication/passwordMethods/{PASSWORD_METHOD_ID}")) == (
        405, "BadRequest", "Specified HTTP method is not allowed for the request target.")
    segment = {"phoneAuthenticationMethod": "phoneMethods", "emailAuthenticationMethod": "emailMethods",
               "fido2AuthenticationMethod": "fido2Methods",
               "microsoftAuthenticatorAuthenticationMethod": "microsoftAuthenticatorMethods",
               "softwareOathAuthenticationMethod": "softwareOathMethods",
               "windowsHelloForBusinessAuthenticationMethod": "windowsHelloForBusinessMethods"}
    default, rest = others[0], others[1:]
    if rest:
        seg = segment[default["@odata.type"].split(".")[-1]]
        assert err(graph.delete(f"/users/{ADELE_UPN}/authentication/{seg}/{default['id']}")) == (
            400, "badRequest",
            "Cannot delete default method with other methods configured. Please change default method before deletion.")
    for m in rest + [default]:
        seg = segment[m["@odata.type"].split(".")[-1]]
        one = graph.get(f"/users/{ADELE_UPN}/authentication/{seg}/{m['id']}")
        assert one.status_code == 200 and one.json()["id"] == m["id"]
        assert graph.delete(f"/users/{ADELE_UPN}/authentication/{seg}/{m['id']}").status_code == 204
        assert err(graph.get(f"/users/{ADELE_UPN}/authentication/{seg}/{m['id']}"))[:2] == (404, "itemNotFound")
    left = graph.get(f"/users/{ADELE_UPN}/authentication/methods").json()["value"]
    assert [m["@odata.type"].split(".")[-1] for m in left] == [
        "passwordAuthenticationMethod", "temporaryAccessPassAuthenticationMethod"]
    assert graph.get(f"/users/{ADELE_UPN}/authentication/methods/$count").text == "2"


def test_seeded_spread_covers_every_kind(lab: Lab, graph: Graph) -> None:
    seen = set()
    for user in lab.store.users():
        for m in graph.get(f"/users/{user.id}/authentication/methods").json()["value"]:
            seen.add(m["@odata.type"].split(".")[-1])
    assert {"passwordAuthenticationMethod", "phoneAuthenticationMethod", "emailAuthenticationMethod",
            "fido2AuthenticationMethod", "microsoftAuthenticatorAuthenticationMethod",
            "softwareOathAuthenticationMethod", "windowsHelloForBusinessAuthenticationMethod"} <= seen


def test_methods_permissions(graph: Graph) -> None:
    from tests.lab.conftest import READER_APP, TAP_APP
    url = f"/users/{ADELE_UPN}/authentication/methods"
    assert graph.as_(READER_APP).get(url).status_code == 200
    assert err(graph.as_(TAP_APP).get(url)) == (403, "Authorization_RequestDenied",
                                                "Insufficient privileges to complete the operation.")
    delegated = graph.as_(user="admin@contoso.lab", scopes=["User.Read.All"])
    assert err(delegated.get(url))[0] == 403
    assert delegated.get("/users").status_code == 200
    ok = graph.as_(user="admin@contoso.lab", scopes=["UserAuthenticationMethod.ReadWrite.All"])
    assert ok.get(url).status_code == 200


def test_revoke_sign_in_sessions_invalidates_tokens(graph: Graph) -> None:
    adele = graph.as_(user=ADELE_UPN, scopes=["User.Read"])
    other = graph.as_(user="admin@contoso.lab", scopes=["User.Read"])
    assert adele.get("/me").status_code == 200
    r = graph.post(f"/users/{ADELE_UPN}/revokeSignInSessions")
    assert r.status_code == 200
    assert r.json() == {"@odata.context": f"{GRAPH}/$metadata#Edm.Boolean", "value": True}
    assert err(adele.get("/me")) == (
        401, "InvalidAuthenticationToken",
        "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: "
        "TokenIssuedBeforeRevocationTimestamp")
    assert other.get("/me").status_code == 200
    assert graph.as_(user=ADELE_UPN, scopes=["User.Read"]).get("/me").status_code == 200
    assert err(graph.as_(NONE_APP).post(f"/users/{ADELE_UPN}/revokeSignInSessions"))[0] == 403


def test_methods_policy_root_and_configurations(graph: Graph) -> None:
    root = graph.get(POLICY_ROOT).json()
    assert root["@odata.context"] == f"{GRAPH}/$metadata#policies/authenticationMethodsPolicy/$entity"
    ids = [c["id"] for c in root["authenticationMethodConfigurations"]]
    assert ids == ["Fido2", "MicrosoftAuthenticator", "Sms", "TemporaryAccessPass", "SoftwareOath", "Voice", "Email"]
    tap = root["authenticationMethodConfigurations"][3]
    assert tap["@odata.type"] == "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration"
    url = f"{POLICY_ROOT}/authenticationMethodConfigurations"
    assert graph.patch(f"{url}/TemporaryAccessPass", json={"maximumLifetimeInMinutes": 120,
                                                           "isUsableOnce": True}).status_code == 204
    taps = f"/users/{ADELE_UPN}/authentication/temporaryAccessPassMethods"
    assert err(graph.post(taps, json={"lifetimeInMinutes": 240}))[2] == (
        "Invalid LifetimeInMinutes specified. The valid range between 60 and 120.")
    assert graph.post(taps, json={}).json()["isUsableOnce"] is True
    assert graph.patch(f"{url}/TemporaryAccessPass", json={"state": "disabled"}).status_code == 204
    assert err(graph.post(taps, json={}))[0] == 400
    assert graph.patch(f"{url}/fido2", json={"state": "disabled"}).status_code == 204
    fido = graph.get(f"{url}/Fido2").json()
    assert fido["state"] == "disabled" and fido["@odata.type"] == "#microsoft.graph.fido2AuthenticationMethodConfiguration"
    assert graph.get(POLICY_ROOT).json()["authenticationMethodConfigurations"][0]["state"] == "disabled"
    assert err(graph.patch(f"{url}/Fido2", json={"state": "sometimes"}))[0] == 400
    assert err(graph.patch(f"{url}/Fido2", json={"colour": 1}))[2].startswith("The property 'colour' does not exist")
    assert err(graph.get(f"{url}/Nope"))[:2] == (404, "itemNotFound")


def test_no_secret_in_responses_or_db(graph: Graph, lab: Lab) -> None:
    graph.post("/users", json=NEW)
    graph.patch(f"/users/{ADELE_UPN}", json={"passwordProfile": {"password": "Adele-New-Pass-9!"}})
    raw = lab.store.path.read_bytes()
    wal = lab.store.path.with_name("lab.db-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    for secret in SECRETS + ["Nina-Secret-42!", "Adele-New-Pass-9!"]:
        assert secret.encode() not in raw


async def _sdk_scenario(client: Any) -> None:
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph.generated.models.password_profile import PasswordProfile
    from msgraph.generated.models.user import User
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder
    created = await client.users.post(User(account_enabled=True, display_name="Sdk User", mail_nickname="sdk",
                                           user_principal_name="sdk@contoso.lab",
                                           password_profile=PasswordProfile(password="Sdk-Secret-1!")))
    assert created.id and created.user_principal_name == "sdk@contoso.lab"
    cfg = RequestConfiguration(query_parameters=UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(
        filter="userPrincipalName eq 'sdk@contoso.lab'", select=["id", "displayName"]))
    found = await client.users.get(request_configuration=cfg)
    assert [u.id for u in found.value] == [created.id]
    await client.users.by_user_id(created.id).patch(User(account_enabled=False))
    methods = await client.users.by_user_id(ADELE_UPN).authentication.methods.get()
    assert methods.value[0].odata_type == "#microsoft.graph.passwordAuthenticationMethod"
    assert len(methods.value) >= 1
    revoked = await client.users.by_user_id(ADELE_UPN).revoke_sign_in_sessions.post()
    assert revoked.value is True
    policy = await client.policies.authentication_methods_policy.get()
    assert len(policy.authentication_method_configurations) == 7
    await client.users.by_user_id(created.id).delete()


def test_sdk_in_process_and_over_loopback(lab: Lab, served: str) -> None:
    from tests.lab.test_msgraph_sdk import make_client
    asyncio.run(_sdk_scenario(make_client(lab, asgi_transport(lab), GRAPH)))
    lab.store.db.execute("DELETE FROM users WHERE upn='sdk@contoso.lab'")
    asyncio.run(_sdk_scenario(make_client(lab, httpx.AsyncHTTPTransport(), f"{served}/v1.0")))


def test_a_version_1_lab_is_upgraded(lab: Lab, graph: Graph) -> None:
    from pscompat.lab import open_lab
    path = lab.store.path
    with lab.store.write() as db:
        db.execute("DROP TABLE methods")
        db.execute("DROP TABLE revocations")
    lab.store.db.execute("PRAGMA user_version=1")
    lab.close()
    upgraded = open_lab(path)
    try:
        assert upgraded.store.version() == SCHEMA_VERSION
        g = Graph(upgraded)
        listed = g.get(f"/users/{ADELE_UPN}/authentication/methods").json()["value"]
        assert [m["id"] for m in listed] == [PASSWORD_METHOD_ID]
        assert g.post(f"/users/{ADELE_UPN}/revokeSignInSessions").status_code == 200
    finally:
        upgraded.close()


_V2_PASSES = """CREATE TABLE passes(
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    created INTEGER NOT NULL, start INTEGER, lifetime INTEGER NOT NULL, usable_once INTEGER NOT NULL,
    salt BLOB NOT NULL, digest BLOB NOT NULL, used INTEGER)"""


def test_a_version_2_lab_keeps_its_passes_when_upgraded(lab: Lab, graph: Graph) -> None:
    """Version 3 keys passes by user: the upgrade carries every pass over, still usable."""
    from pscompat.lab import open_lab
    created = graph.post(f"/users/{ADELE_UPN}/authentication/temporaryAccessPassMethods",
                         json={"isUsableOnce": True}).json()
    path = lab.store.path
    with lab.store.write() as db:
        rows = db.execute("SELECT id, user_id, created, start, lifetime, usable_once, salt, digest, used"
                          " FROM passes").fetchall()
        db.execute("DROP TABLE passes")
        db.execute("DROP INDEX users_id_nocase")
        db.execute(_V2_PASSES)
        db.executemany("INSERT INTO passes VALUES(?,?,?,?,?,?,?,?,?)", rows)
    lab.store.db.execute("PRAGMA user_version=2")
    lab.close()
    upgraded = open_lab(path)
    try:
        assert upgraded.store.version() == SCHEMA_VERSION == 3
        ddl = upgraded.store.db.execute("SELECT sql FROM sqlite_master WHERE name='passes'").fetchone()[0]
        assert "WITHOUT ROWID" in ddl
        listed = Graph(upgraded).get(f"/users/{ADELE_UPN}/authentication/temporaryAccessPassMethods").json()
        assert [m["id"] for m in listed["value"]] == [created["id"]]
        assert upgraded.verify_pass(ADELE_UPN, created["temporaryAccessPass"])["ok"] is True
        assert upgraded.verify_pass(ADELE_UPN, created["temporaryAccessPass"])["ok"] is False  # one-time
        plan = upgraded.store.db.execute("EXPLAIN QUERY PLAN SELECT id FROM users WHERE id=? COLLATE NOCASE OR upn=?",
                                         ("x", "y")).fetchall()
        assert not any(row[-1] == "SCAN users" for row in plan), plan
    finally:
        upgraded.close()


def test_responses_match_graph_schemas(graph: Graph) -> None:
    from tests.lab import schemas
    graph.post(f"/users/{ADELE_UPN}/authentication/temporaryAccessPassMethods", json={})
    for user in ("AdeleV@contoso.lab", "admin@contoso.lab", "authadmin@contoso.lab", "reader@contoso.lab"):
        body = graph.get(f"/users/{user}/authentication/methods").json()
        schemas.validate(body, "microsoft.graph.authenticationMethodCollectionResponse")
        for item in body["value"]:
            schemas.validate(item, "microsoft.graph." + item["@odata.type"].split(".")[-1])
    schemas.validate(graph.get(POLICY_ROOT).json(), "microsoft.graph.authenticationMethodsPolicy")
    schemas.validate(graph.post("/users", json=NEW).json(), schemas.USER)
    schemas.validate(graph.post("/users", json=NEW).json(), schemas.ERROR)
    schemas.validate(graph.post(f"/users/{ADELE_UPN}/revokeSignInSessions").json(), "lab.booleanResponse")
    assert schemas.errors({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "x",
                           "phoneType": "pager"}, "microsoft.graph.phoneAuthenticationMethod")


def test_permissions_report_knows_the_new_endpoints() -> None:
    from pscompat.lab.permissions import needed
    assert needed("POST", f"{GRAPH}/users", False)[0] == "User.ReadWrite.All"
    assert needed("POST", f"{GRAPH}/users/x/revokeSignInSessions", True)[0] == "User.RevokeSessions.All"
    assert needed("GET", f"{GRAPH}/me/authentication/methods", True)[0] == "UserAuthenticationMethod.Read"
    assert needed("DELETE", f"{GRAPH}/users/x/authentication/fido2Methods/y", False)[0] == \
        "UserAuthenticationMethod.ReadWrite.All"
    assert needed("GET", f"{GRAPH}/policies/authenticationMethodsPolicy", False)[0] == "Policy.Read.All"


def test_me_methods_with_delegated_scopes(graph: Graph) -> None:
    me = graph.as_(user=ADELE_UPN, scopes=["UserAuthenticationMethod.Read"])
    r = me.get("/me/authentication/methods")
    assert r.status_code == 200 and r.json()["value"][0]["id"] == PASSWORD_METHOD_ID
    assert r.json()["@odata.context"].endswith(f"users('{ADELE}')/authentication/methods")
    assert err(me.delete(f"/me/authentication/passwordMethods/{PASSWORD_METHOD_ID}"))[0] == 405
    assert err(graph.as_(user=ADELE_UPN, scopes=["User.Read"]).get("/me/authentication/methods")) == (
        403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")


def test_recorded_user_creation_redacts_the_password(lab: Lab, graph: Graph, tmp_path: Any) -> None:
    from pscompat.lab.har import HarRecorder
    lab.recorder = HarRecorder(tmp_path / "s.har")
    graph.post("/users", json=NEW)
    lab.recorder.save()
    lab.recorder = None
    text = (tmp_path / "s.har").read_text()
    assert "nina@contoso.lab" in text and "Nina-Secret-42!" not in text


def test_count_needs_eventual(graph: Graph) -> None:
    assert err(graph.get("/users?$count=true")) == (400, "Request_BadRequest", "$count is not currently supported.")
    assert err(graph.get("/users/$count")) == (400, "Request_BadRequest", "$count is not currently supported.")
    assert graph.get('/users/$count?$search="displayName:adele"', headers=EVENTUAL).text == "1"


def test_scenario_methods_key() -> None:
    from pscompat.lab.scenario import ScenarioError, normalise
    base = {"users": [{"userPrincipalName": "a@contoso.lab",
                       "methods": ["fido2", {"kind": "phone", "phoneNumber": "+1 4255550100"}]}]}
    user = normalise(base)["users"][0]
    assert [m["kind"] for m in user["methods"]] == ["password", "fido2", "phone"]
    assert user["methods"][1]["isDefault"] is True and user["methods"][2]["phoneNumber"] == "+1 4255550100"
    with pytest.raises(ScenarioError, match="unknown authentication method kind 'pager'"):
        normalise({"users": [{"userPrincipalName": "a@contoso.lab", "methods": ["pager"]}]})
    with pytest.raises(ScenarioError, match="'methods' must be a list"):
        normalise({"users": [{"userPrincipalName": "a@contoso.lab", "methods": "fido2"}]})


def test_created_user_signs_in_and_a_disabled_one_cannot(graph: Graph) -> None:
    from tests.lab.conftest import ADMIN_APP, TENANT
    url = f"https://login.lab/{TENANT}/oauth2/v2.0/token"
    form = {"grant_type": "password", "client_id": ADMIN_APP, "username": "nina@contoso.lab",
            "password": "Nina-Secret-42!", "scope": "https://graph.microsoft.com/User.Read"}
    uid = graph.post("/users", json=NEW).json()["id"]
    r = graph.client.post(url, data=form)
    assert r.status_code == 200
    token = r.json()["access_token"]
    assert graph.client.get(f"{GRAPH}/me", headers={"Authorization": f"Bearer {token}"}).json()["id"] == uid
    assert graph.patch(f"/users/{uid}", json={"passwordProfile": {"password": "Nina-Other-43!"}}).status_code == 204
    assert graph.client.post(url, data=form).status_code == 400
    assert graph.client.post(url, data={**form, "password": "Nina-Other-43!"}).status_code == 200
    assert graph.patch(f"/users/{uid}", json={"accountEnabled": False}).status_code == 204
    refused = graph.client.post(url, data={**form, "password": "Nina-Other-43!"})
    assert refused.status_code == 400 and "AADSTS50057" in refused.json()["error_description"]
