"""The TAP endpoints, users and the policy: wire format as facts/graph-tap.md describes it."""

from __future__ import annotations

import re

from pscompat.lab.responses import PASS_ALPHABET
from tests.lab import schemas
from tests.lab.conftest import ADELE, ADELE_UPN, GUEST_UPN, POLICY, Graph, taps

KEY_ORDER = ["@odata.type", "id", "temporaryAccessPass", "createdDateTime", "startDateTime",
             "lifetimeInMinutes", "isUsableOnce", "isUsable", "methodUsabilityReason"]
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_create_returns_201_with_the_pass_in_graphs_key_order(graph: Graph) -> None:
    r = graph.post(taps(ADELE), json={"startDateTime": "2030-06-05T00:00:00.000Z", "lifetimeInMinutes": 60,
                                      "isUsableOnce": False})
    assert r.status_code == 201
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert list(body) == ["@odata.context"] + KEY_ORDER
    assert body["@odata.context"] == (f"https://graph.microsoft.com/v1.0/$metadata#users('{ADELE}')"
                                      "/authentication/temporaryAccessPassMethods/$entity")
    assert body["@odata.type"] == "#microsoft.graph.temporaryAccessPassAuthenticationMethod"
    assert GUID.match(body["id"])
    assert body["startDateTime"] == "2030-06-05T00:00:00Z"  # zero fraction dropped
    assert body["lifetimeInMinutes"] == 60 and body["isUsableOnce"] is False
    assert body["isUsable"] is False and body["methodUsabilityReason"] == "NotYetValid"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$", body["createdDateTime"])
    schemas.validate(body, schemas.TAP)


def test_generated_pass_has_policy_length_and_alphabet(graph: Graph) -> None:
    body = graph.post(taps(ADELE), json={}).json()
    assert len(body["temporaryAccessPass"]) == 8
    assert set(body["temporaryAccessPass"]) <= set(PASS_ALPHABET)
    assert graph.patch(POLICY, json={"defaultLength": 48}).status_code == 204
    assert len(graph.post(taps(ADELE), json={}).json()["temporaryAccessPass"]) == 48


def test_absent_fields_take_the_policy_defaults(graph: Graph) -> None:
    body = graph.post(taps(ADELE), json={}).json()
    assert body["lifetimeInMinutes"] == 60 and body["isUsableOnce"] is False
    assert body["isUsable"] is True and body["methodUsabilityReason"] == "EnabledByPolicy"
    # lab choice (docs/lab.md): an absent startDateTime is echoed as the creation instant
    assert body["startDateTime"] == body["createdDateTime"]
    graph.patch(POLICY, json={"isUsableOnce": True, "defaultLifetimeInMinutes": 120})
    body = graph.post(taps(ADELE), json={}).json()
    assert body["isUsableOnce"] is True and body["lifetimeInMinutes"] == 120


def test_one_pass_per_user_new_post_replaces_old_and_its_id(graph: Graph) -> None:
    first = graph.post(taps(ADELE), json={}).json()["id"]
    second = graph.post(taps(ADELE), json={}).json()["id"]
    assert first != second
    listed = graph.get(taps(ADELE)).json()["value"]
    assert [m["id"] for m in listed] == [second]
    assert graph.get(f"{taps(ADELE)}/{first}").status_code == 404


def test_list_get_count_delete(graph: Graph) -> None:
    empty = graph.get(taps(ADELE_UPN))
    assert empty.status_code == 200
    assert empty.json() == {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('AdeleV%40contoso.lab')"
                                              "/authentication/temporaryAccessPassMethods", "value": []}
    assert graph.get(f"{taps(ADELE_UPN)}/$count").text == "0"
    created = graph.post(taps(ADELE_UPN), json={"lifetimeInMinutes": 90}).json()
    listed = graph.get(taps(ADELE_UPN)).json()
    assert len(listed["value"]) == 1
    item = listed["value"][0]
    assert list(item) == KEY_ORDER[1:]          # collection items carry no @odata.type
    assert item["temporaryAccessPass"] is None  # the secret only in the POST's 201
    assert item["id"] == created["id"] and item["createdDateTime"] == created["createdDateTime"]
    schemas.validate(listed, schemas.TAP_COLLECTION)
    one = graph.get(f"{taps(ADELE_UPN)}/{created['id']}").json()
    assert one["temporaryAccessPass"] is None and one["lifetimeInMinutes"] == 90
    assert list(one) == ["@odata.context"] + KEY_ORDER
    schemas.validate(one, schemas.TAP)
    count = graph.get(f"{taps(ADELE_UPN)}/$count")
    assert count.status_code == 200 and count.text == "1" and count.headers["content-type"].startswith("text/plain")
    schemas.validate(int(count.text), schemas.COUNT)
    deleted = graph.delete(f"{taps(ADELE_UPN)}/{created['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert graph.get(taps(ADELE_UPN)).json()["value"] == []


def test_select_on_methods(graph: Graph) -> None:
    created = graph.post(taps(ADELE), json={}).json()
    listed = graph.get(taps(ADELE), params={"$select": "id,isUsable"}).json()
    assert listed["value"] == [{"id": created["id"], "isUsable": True}]
    assert listed["@odata.context"].endswith("temporaryAccessPassMethods(id,isUsable)")


def test_beta_and_v1_share_the_store(graph: Graph) -> None:
    created = graph.post(taps(ADELE), json={}).json()
    beta = graph.client.get(f"https://graph.microsoft.com/beta{taps(ADELE)}",
                            headers={"Authorization": f"Bearer {graph.token}"}).json()
    assert beta["value"][0]["id"] == created["id"]
    assert beta["@odata.context"].startswith("https://graph.microsoft.com/beta/$metadata#")


def test_start_date_time_echo_forms(graph: Graph) -> None:
    cases = {"2030-06-05T00:00:00.000Z": "2030-06-05T00:00:00Z",
             "2030-06-05T00:00:00.0000000Z": "2030-06-05T00:00:00Z",
             "2030-06-06T16:48:03.027Z": "2030-06-06T16:48:03.027Z",
             "2030-06-05T02:00:00+02:00": "2030-06-05T00:00:00Z",
             "2030-06-05T00:00:00.1234567Z": "2030-06-05T00:00:00.1234567Z"}
    for given, echoed in cases.items():
        assert graph.post(taps(ADELE), json={"startDateTime": given}).json()["startDateTime"] == echoed


def test_guest_upn_with_ext_is_url_encoded(graph: Graph) -> None:
    r = graph.get("/users/jane.doe_fabrikam.com%23EXT%23%40contosolab.onmicrosoft.com")
    assert r.status_code == 200 and r.json()["userPrincipalName"] == GUEST_UPN
    schemas.validate(r.json(), schemas.USER)
    # unencoded '#' starts a fragment: the server sees a truncated UPN
    assert graph.get("/users/jane.doe_fabrikam.com#EXT#@contosolab.onmicrosoft.com").status_code == 404


def test_request_and_client_request_id_headers(graph: Graph) -> None:
    r = graph.get(taps(ADELE), headers={"client-request-id": "7b0b0ac4-7e2f-4d0c-9b1a-3d2c1e0f9a8b"})
    assert r.headers["client-request-id"] == "7b0b0ac4-7e2f-4d0c-9b1a-3d2c1e0f9a8b"
    assert GUID.match(r.headers["request-id"])
    r = graph.get(taps(ADELE))
    assert r.headers["client-request-id"] == r.headers["request-id"]


def test_me_with_a_delegated_token(graph: Graph) -> None:
    me = graph.as_(user="AlexW@contoso.lab")
    r = me.get("/me")
    assert r.status_code == 200 and r.json()["userPrincipalName"] == "AlexW@contoso.lab"
    admin = graph.as_(user="admin@contoso.lab")
    created = admin.post(taps("AlexW@contoso.lab"), json={}).json()
    listed = me.get("/me/authentication/temporaryAccessPassMethods").json()
    assert listed["value"][0]["id"] == created["id"]
    assert me.delete(f"/me/authentication/temporaryAccessPassMethods/{created['id']}").status_code == 204
    app_me = graph.get("/me/authentication/temporaryAccessPassMethods")
    assert app_me.status_code == 400
    assert app_me.json()["error"]["message"] == "/me request is only valid with delegated authentication flow."


# -- users ------------------------------------------------------------------------------------

def test_users_filter_select_as_pnp_looks_users_up(graph: Graph) -> None:
    select = ("BusinessPhones,DisplayName,GivenName,JobTitle,Mail,MobilePhone,OfficeLocation,PreferredLanguage,"
              "Surname,UserPrincipalName,Id,AccountEnabled")
    r = graph.get("/users", params={"$top": "999", "$select": select, "$filter": "userPrincipalName eq 'adelev@contoso.lab'"},
                  headers={"ConsistencyLevel": "eventual"})
    assert r.status_code == 200
    body = r.json()
    assert len(body["value"]) == 1
    user = body["value"][0]
    assert list(user) == ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
                          "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id", "accountEnabled"]
    assert user["id"] == ADELE and user["accountEnabled"] is True
    schemas.validate(body, schemas.USERS)
    by_id = graph.get("/users", params={"$filter": f"id eq '{ADELE}'"}).json()["value"]
    assert [u["userPrincipalName"] for u in by_id] == [ADELE_UPN]
    assert graph.get("/users", params={"$filter": "userPrincipalName eq 'nobody@contoso.lab'"}).json()["value"] == []
    quoted = graph.get("/users", params={"$filter": "userPrincipalName eq 'o''brien@contoso.lab'"}).json()["value"]
    assert quoted[0]["displayName"] == "Pat O'Brien"


def test_users_default_properties_and_paging(graph: Graph) -> None:
    first = graph.get("/users", params={"$top": "5"}).json()
    assert list(first["value"][0]) == ["businessPhones", "displayName", "givenName", "jobTitle", "mail",
                                       "mobilePhone", "officeLocation", "preferredLanguage", "surname",
                                       "userPrincipalName", "id"]
    seen = [u["id"] for u in first["value"]]
    link = first["@odata.nextLink"]
    while link:
        page = graph.get(link).json()
        seen += [u["id"] for u in page["value"]]
        link = page.get("@odata.nextLink")
    everyone = graph.get("/users").json()
    assert seen == [u["id"] for u in everyone["value"]] and len(seen) >= 20
    assert "@odata.nextLink" not in everyone


def test_users_count_needs_consistency_level(graph: Graph) -> None:
    assert graph.get("/users/$count").status_code == 400
    r = graph.get("/users/$count", headers={"ConsistencyLevel": "eventual"})
    assert r.status_code == 200 and int(r.text) >= 20
    r = graph.get("/users", params={"$count": "true", "$filter": "userType eq 'Guest'"},
                  headers={"ConsistencyLevel": "eventual"})
    assert r.json()["@odata.count"] == 2


def test_user_by_id_and_upn_case_insensitive(graph: Graph) -> None:
    assert graph.get(f"/users/{ADELE.upper()}").json()["id"] == ADELE
    assert graph.get("/users/ADELEV@CONTOSO.LAB").json()["id"] == ADELE
    r = graph.get("/users/AdeleV@contoso.lab", params={"$select": "displayName,userType"})
    assert r.json() == {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(displayName,userType)/$entity",
                        "displayName": "Adele Vance", "userType": "Member"}


# -- policy -----------------------------------------------------------------------------------

def test_policy_get_in_graphs_shape(graph: Graph) -> None:
    for cfg in ("TemporaryAccessPass", "temporaryAccessPass", "TEMPORARYACCESSPASS"):
        r = graph.get(POLICY.replace("TemporaryAccessPass", cfg))
        assert r.status_code == 200
    body = r.json()
    assert list(body) == ["@odata.context", "@odata.type", "id", "state", "defaultLifetimeInMinutes",
                          "defaultLength", "minimumLifetimeInMinutes", "maximumLifetimeInMinutes", "isUsableOnce",
                          "includeTargets@odata.context", "includeTargets", "excludeTargets"]
    assert body["id"] == "TemporaryAccessPass" and body["state"] == "enabled"
    assert body["includeTargets"] == [{"targetType": "group", "id": "all_users", "isRegistrationRequired": False}]
    schemas.validate(body, schemas.POLICY)


def test_policy_patch_and_delete_resets_to_graph_defaults(graph: Graph) -> None:
    r = graph.patch(POLICY, json={"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
                                  "isUsableOnce": True, "maximumLifetimeInMinutes": 600})
    assert r.status_code == 204 and r.content == b""
    body = graph.get(POLICY).json()
    assert body["isUsableOnce"] is True and body["maximumLifetimeInMinutes"] == 600
    assert graph.delete(POLICY).status_code == 204
    body = graph.get(POLICY).json()
    assert (body["state"], body["defaultLifetimeInMinutes"], body["minimumLifetimeInMinutes"],
            body["maximumLifetimeInMinutes"], body["defaultLength"], body["isUsableOnce"], body["excludeTargets"]) == \
        ("disabled", 60, 60, 480, 8, False, [])


def test_policy_patch_ranges(graph: Graph) -> None:
    bad = [({"minimumLifetimeInMinutes": 5}, "Invalid MinimumLifetimeInMinutes specified. The valid range between 10 and 43200."),
           ({"maximumLifetimeInMinutes": 50000}, "Invalid MaximumLifetimeInMinutes specified. The valid range between 10 and 43200."),
           ({"defaultLength": 7}, "Invalid DefaultLength specified. The valid range between 8 and 48."),
           ({"defaultLifetimeInMinutes": 500}, "Invalid DefaultLifetimeInMinutes specified. The valid range between 60 and 480."),
           ({"minimumLifetimeInMinutes": 500}, "MinimumLifetimeInMinutes cannot be greater than MaximumLifetimeInMinutes."),
           ({"state": "on"}, "Invalid State specified: 'on'. Valid values: enabled, disabled.")]
    for change, message in bad:
        r = graph.patch(POLICY, json=change)
        assert r.status_code == 400, change
        assert r.json()["error"]["code"] == "badRequest"
        assert r.json()["error"]["message"] == message
        schemas.validate(r.json(), schemas.ERROR)
    assert graph.get(POLICY).json()["minimumLifetimeInMinutes"] == 60  # nothing half-written
    r = graph.patch(POLICY, json={"bogus": 1})
    assert r.status_code == 400 and "does not exist on type" in r.json()["error"]["message"]
    r = graph.patch(POLICY, json={"defaultLength": "8"})
    assert r.status_code == 400 and "Edm.Int32" in r.json()["error"]["message"]


def test_policy_targets_include_groups_and_exclusions(graph: Graph) -> None:
    pilot = "9d588358-97ee-4859-9c0a-fe3d6abe8f04"
    assert graph.patch(POLICY, json={"includeTargets": [{"targetType": "group", "id": pilot,
                                                         "isRegistrationRequired": False}]}).status_code == 204
    assert graph.post(taps(ADELE_UPN), json={}).status_code == 201          # in TAP Pilot
    r = graph.post(taps("DiegoS@contoso.lab"), json={})                     # not targeted
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("Converged UserCredentialPolicy")
    excluded = "19ac8e2b-e463-488c-a782-6081a550e414"
    graph.patch(POLICY, json={"includeTargets": [{"targetType": "group", "id": "all_users"}],
                              "excludeTargets": [{"targetType": "group", "id": excluded}]})
    assert graph.post(taps("LynneR@contoso.lab"), json={}).status_code == 400
    assert graph.post(taps("DiegoS@contoso.lab"), json={}).status_code == 201


def test_unknown_segment_and_method(graph: Graph) -> None:
    r = graph.get("/groups")
    assert r.status_code == 400 and r.json()["error"]["message"] == "Resource not found for the segment 'groups'."
    r = graph.patch(f"{taps(ADELE)}/x", json={})
    assert r.status_code == 405
    schemas.validate(r.json(), schemas.ERROR)
    r = graph.client.get("https://graph.microsoft.com/v2.0/users", headers={"Authorization": f"Bearer {graph.token}"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "Invalid version: v2.0"


def test_openapi_document_is_served(graph: Graph) -> None:
    doc = graph.client.get("https://graph.microsoft.com/lab/openapi.json").json()
    assert "/users/{user-id}/authentication/temporaryAccessPassMethods" in doc["paths"]
    assert doc["servers"][0]["url"] == "https://graph.microsoft.com/v1.0"
