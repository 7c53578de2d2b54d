"""msgraph-sdk's own typed client (GraphServiceClient, real models) against the lab, in-process
and over 127.0.0.1 (uvicorn in a thread); the raw responses validate against Graph's schemas."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from pscompat.lab import asgi_transport
from pscompat.lab.core import Lab
from tests.lab import schemas
from tests.lab.conftest import ADELE_UPN

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Recorder(httpx.AsyncBaseTransport):
    """Keeps every response body so that it can be validated against the schemas."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str, str, int, bytes, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        self.seen.append((request.method, request.url.path, response.status_code, content,
                          response.headers.get("content-type", "")))
        return httpx.Response(response.status_code, headers=response.headers, content=content)


def make_client(lab: Lab, transport: httpx.AsyncBaseTransport, base_url: str) -> Any:
    from kiota_abstractions.authentication import (
        AccessTokenProvider,
        AllowedHostsValidator,
        BaseBearerTokenAuthenticationProvider,
    )
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph_core import GraphClientFactory
    token = lab.issue_token()

    class Static(AccessTokenProvider):
        async def get_authorization_token(self, uri: str, additional_authentication_context: Any = None) -> str:
            return token

        def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
            return AllowedHostsValidator([])

    http = GraphClientFactory.create_with_default_middleware(client=httpx.AsyncClient(transport=transport))
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(Static()), http)
    adapter.base_url = base_url
    return GraphServiceClient(request_adapter=adapter)


async def scenario(client: Any) -> None:
    from kiota_abstractions.api_error import APIError
    from msgraph.generated.models.o_data_errors.o_data_error import ODataError
    from msgraph.generated.models.temporary_access_pass_authentication_method import (
        TemporaryAccessPassAuthenticationMethod,
    )
    from msgraph.generated.models.temporary_access_pass_authentication_method_configuration import (
        TemporaryAccessPassAuthenticationMethodConfiguration,
    )
    methods = client.users.by_user_id(ADELE_UPN).authentication.temporary_access_pass_methods
    created = await methods.post(TemporaryAccessPassAuthenticationMethod(lifetime_in_minutes=120, is_usable_once=True))
    assert isinstance(created, TemporaryAccessPassAuthenticationMethod)
    assert created.temporary_access_pass and len(created.temporary_access_pass) == 8
    assert created.lifetime_in_minutes == 120 and created.is_usable_once is True
    assert created.method_usability_reason == "EnabledByPolicy" and created.is_usable is True
    assert created.created_date_time is not None and created.created_date_time.tzinfo is not None
    listed = await methods.get()
    assert [m.id for m in listed.value] == [created.id]
    assert listed.value[0].temporary_access_pass is None
    one = await methods.by_temporary_access_pass_authentication_method_id(created.id).get()
    assert one.id == created.id and one.temporary_access_pass is None
    assert await methods.count.get() == 1
    await methods.by_temporary_access_pass_authentication_method_id(created.id).delete()
    assert (await methods.get()).value == []

    config = client.policies.authentication_methods_policy.authentication_method_configurations \
        .by_authentication_method_configuration_id("TemporaryAccessPass")
    policy = await config.get()
    assert isinstance(policy, TemporaryAccessPassAuthenticationMethodConfiguration)
    assert policy.maximum_lifetime_in_minutes == 480 and policy.include_targets[0].id == "all_users"
    await config.patch(TemporaryAccessPassAuthenticationMethodConfiguration(maximum_lifetime_in_minutes=600))
    assert (await config.get()).maximum_lifetime_in_minutes == 600
    policy.maximum_lifetime_in_minutes = 480          # GET -> modify -> PATCH round trip
    await config.patch(policy)
    assert (await config.get()).maximum_lifetime_in_minutes == 480

    with pytest.raises(APIError) as caught:
        await methods.post(TemporaryAccessPassAuthenticationMethod(lifetime_in_minutes=5000))
    err = caught.value
    assert isinstance(err, ODataError) and err.response_status_code == 400
    assert err.error.code == "badRequest"
    assert err.error.message == "Invalid LifetimeInMinutes specified. The valid range between 60 and 480."
    assert err.error.inner_error.request_id and err.error.inner_error.client_request_id

    users = await client.users.get()
    assert any(u.user_principal_name == ADELE_UPN for u in users.value)


def validate_recorded(seen: list[tuple[str, str, int, bytes, str]]) -> None:
    assert seen
    for method, path, status, content, _ctype in seen:
        if status == 204:
            assert content == b""
            continue
        if path.endswith("/$count"):
            schemas.validate(int(content), schemas.COUNT)
            continue
        body = json.loads(content)
        if status >= 400:
            schemas.validate(body, schemas.ERROR)
        elif "temporaryAccessPassMethods" in path:
            schemas.validate(body, schemas.TAP_COLLECTION if method == "GET" and path.endswith("Methods") else schemas.TAP)
        elif "authenticationMethodConfigurations" in path:
            schemas.validate(body, schemas.POLICY)
        elif path.endswith("/users"):
            schemas.validate(body, schemas.USERS)


def test_typed_client_in_process(lab: Lab) -> None:
    recorder = Recorder(asgi_transport(lab))
    asyncio.run(scenario(make_client(lab, recorder, "https://graph.microsoft.com/v1.0")))
    validate_recorded(recorder.seen)


def test_typed_client_over_loopback(lab: Lab, served: str) -> None:
    assert served.startswith("http://127.0.0.1:")
    recorder = Recorder(httpx.AsyncHTTPTransport())
    asyncio.run(scenario(make_client(lab, recorder, f"{served}/v1.0")))
    validate_recorded(recorder.seen)


def test_typed_client_retries_a_throttled_request(lab: Lab) -> None:
    from msgraph.generated.models.temporary_access_pass_authentication_method import (
        TemporaryAccessPassAuthenticationMethod,
    )
    lab.store.add_fault({"kind": "throttle", "times": 2, "retryAfter": 1,
                         "path": "/users/*/authentication/temporaryAccessPassMethods"})
    lab.reload_faults()
    recorder = Recorder(asgi_transport(lab))
    client = make_client(lab, recorder, "https://graph.microsoft.com/v1.0")
    created = asyncio.run(client.users.by_user_id(ADELE_UPN).authentication.temporary_access_pass_methods.post(
        TemporaryAccessPassAuthenticationMethod()))
    assert created.id
    assert [s[2] for s in recorder.seen] == [429, 429, 201]
