"""The lab: a store, its key, its clock and the request pipeline shared by every front end
(the ASGI app, the in-process httpx transport, JSON batching and the CLI)."""

from __future__ import annotations

import base64
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

from pscompat.lab import faults as fault_mod
from pscompat.lab.activity import Activity
from pscompat.lab.auth import (
    Caller,
    TokenError,
    derive,
    salted_hash,
    sign_jwt,
    verify_jwt,
)
from pscompat.lab.clock import TICKS_PER_SECOND, Clock, format_error_date
from pscompat.lab.http import DIAGNOSTIC, GraphError, Request, Response, error_response, unauthorized
from pscompat.lab.limits import check_request
from pscompat.lab.models import Store, new_guid
from pscompat.lab.paths import key_path
from pscompat.lab.quota import Quota, QuotaConfig

_WWW_AUTHENTICATE = ('Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/'
                     'oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"')
_TOKEN_CACHE_MAX = 1024
_CAE = "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: "


def _message_default(key: str) -> str:
    """A fault message missing from a lab seeded before the key existed."""
    from pscompat.lab.scenario import MESSAGE_DEFAULTS
    return MESSAGE_DEFAULTS[key]


class LabError(Exception):
    """A lab that cannot be opened, reset or used as asked (a user-facing message)."""


class Lab:
    """An opened lab tenant. Use :func:`open_lab` to get one."""

    def __init__(self, path: Path, store: Store, key: bytes, meta: dict[str, Any],
                 clock: Clock | None = None, data_version: int | None = None, *, routes: Any) -> None:
        # The routing table (lab/routes.py), handed in by open_lab: the core imports no handler.
        self.routes = routes
        self.path = path
        self.store = store
        self._root_key = key
        self.token_key = derive(key, b"token")
        self.secret_key = derive(key, b"secret")
        self.pass_key = derive(key, b"pass")
        # The instructor's credential (console sign-in, admin API): derived from the key file,
        # so it is never in the database and whoever can read the key file is the instructor.
        self.admin_secret = base64.urlsafe_b64encode(derive(key, b"admin")).decode()[:32]
        self.console_key = derive(key, b"console")
        self.activity = Activity()
        # Failed sign-ins of names that are no user (keyed hash -> failures, locked until):
        # counted like users' so that a lockout does not reveal who exists.
        self.unknown_signins: dict[str, tuple[int, int | None]] = {}
        self.recorder: Any = None  # a HarRecorder while ``lab serve --record`` runs
        self._clock_injected = clock is not None
        self.clock = clock or Clock()
        if self.clock._persist is None:
            self.clock._persist = self._save_clock
        self._tokens: dict[str, tuple[Caller, float]] = {}
        self._app: Any = None
        self._data_version = data_version
        self._apply_meta(meta, self.store.faults())

    # -- configuration cached from the store; reloaded when another connection commits -------------
    def _apply_meta(self, meta: dict[str, Any], faults: list[tuple[int, dict[str, Any]]]) -> None:
        self.tenant: dict[str, Any] = meta["tenant"]
        self.settings: dict[str, Any] = meta["settings"]
        self.policy: dict[str, Any] = meta["policy"]
        self.scenario_source: dict[str, Any] = meta.get("scenario") or {}
        # A reset is a new tenant: its signing key is new too (the epoch is in the store, so
        # every process that opens the lab signs and verifies with the same key).
        epoch = str(meta.get("tokenEpoch") or "")
        self.token_key = derive(self._root_key, b"token" + epoch.encode())
        self._tokens = {}
        from pscompat.lab.methods import revocations
        self.revoked: dict[str, int] = {k.lower(): v for k, v in revocations(self.store).items()}
        if not self._clock_injected:
            self.clock.load(meta.get("clock") or {})
        self._set_faults(faults)
        self.quota_override: Any = meta.get("quota")
        self._set_quota()

    def _set_quota(self) -> None:
        # PSCOMPAT_LAB_QUOTA (the CLI's --quota) wins over what `lab quota` / the admin API
        # stored, which wins over the scenario's ``quota``; the buckets survive a refresh so
        # that another process's commit does not refill them.
        spec = os.environ.get("PSCOMPAT_LAB_QUOTA") or self.quota_override or self.settings.get("quota")
        try:
            config = QuotaConfig.parse(spec)
        except ValueError as exc:
            raise LabError(f"pscompat lab: {exc}") from exc
        current: Quota | None = getattr(self, "quota", None)
        if not config.enabled:
            self.quota = None
        elif current is not None:
            current.config = config
        else:
            self.quota = Quota(config, self.clock.now, lambda: len(self.store.users()))

    def _set_faults(self, faults: list[tuple[int, dict[str, Any]]]) -> None:
        # Unchanged faults keep their objects (and a seeded rate its random sequence).
        known = {(f.id, repr(f.spec)): f for f in getattr(self, "faults", [])}
        self.faults = [known.get((i, repr(s))) or fault_mod.Fault(i, s) for i, s in faults]

    def refresh(self) -> None:
        """Pick up what other processes committed (policy, clock, faults, a reset)."""
        with self.store.lock:
            version = self.store.data_version()
            if version == self._data_version:
                return
            self._data_version = version
            self._apply_meta(self.store.meta(), self.store.faults())

    def _save_clock(self, state: dict[str, Any]) -> None:
        self.store.set_meta("clock", state)

    def configure_quota(self, spec: Any) -> QuotaConfig:
        """Store a quota setting for every process of this lab (None: back to the scenario's).

        Raises LabError for a setting the lab cannot parse; nothing is stored then."""
        if spec is not None:
            try:
                spec = QuotaConfig.parse(spec).to_spec()
            except ValueError as exc:
                raise LabError(f"pscompat lab: {exc}") from exc
        self.store.set_meta("quota", spec)
        self.quota_override = spec
        self._set_quota()
        return self.quota_config()

    def quota_config(self) -> QuotaConfig:
        return self.quota.config if self.quota is not None else QuotaConfig()

    def save_policy(self, policy: dict[str, Any]) -> None:
        self.store.set_meta("policy", policy)
        self.policy = policy

    def reload_faults(self) -> None:
        """Pick up faults added through ``lab.store`` by this process."""
        self._set_faults(self.store.faults())

    # -- front ends ---------------------------------------------------------------------------
    @property
    def app(self) -> Any:
        """The ASGI application (for uvicorn, httpx.ASGITransport, ...)."""
        if self._app is None:
            from pscompat.lab.app import LabApp
            self._app = LabApp(self)
        return self._app

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- identities ---------------------------------------------------------------------------
    def default_app(self) -> dict[str, Any]:
        apps = self.store.apps()
        if not apps:
            raise LabError("this lab's scenario defines no app")
        return apps[0]

    def make_token(self, app: dict[str, Any], user: Any = None, scopes: list[str] | None = None,
                   permissions: list[str] | None = None, lifetime: int | None = None) -> tuple[str, int]:
        from pscompat.lab.signins import token_claims
        seconds = int(lifetime or self.settings["tokens"]["lifetimeSeconds"])
        return sign_jwt(token_claims(self, app, user, scopes, permissions, seconds), self.token_key), seconds

    def issue_token(self, client_id: str | None = None, user: str | None = None, *,
                    scopes: list[str] | None = None, permissions: list[str] | None = None,
                    lifetime: int | None = None) -> str:
        """A bearer token for Graph calls to this lab.

        Default: the scenario's first app (the admin app) with its application permissions.
        ``user`` (UPN or id) gives a delegated token for that user through the app (its
        delegated scopes, or ``scopes``; the user's directory roles go in ``wids``).
        ``permissions`` overrides an app token's roles.
        """
        self.refresh()
        app = self.store.app(client_id) if client_id else self.default_app()
        if app is None:
            raise LabError(f"no app with client id {client_id!r} in this lab")
        who = None
        if user is not None:
            who = self.store.find_user(user)
            if who is None:
                raise LabError(f"no user {user!r} in this lab")
        return self.make_token(app, who, scopes, permissions, lifetime)[0]

    def authenticate(self, req: Request) -> Caller:
        auth = req.header("authorization") or ""
        scheme, _, token = auth.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise unauthorized("Access token is empty.")
        now = time.time()
        cached = self._tokens.get(token)
        if cached is not None and cached[1] > now:
            self._check_user_still_signed_in(cached[0].claims)
            if self.revoked:
                self._check_revoked(cached[0].claims)
            return cached[0]
        try:
            claims = verify_jwt(token, self.token_key, now)
        except TokenError as exc:
            raise unauthorized(str(exc)) from None
        if claims.get("tid") != self.tenant["id"]:
            raise unauthorized("Access token validation failure. Invalid audience.")
        self._check_user_still_signed_in(claims)
        if self.revoked:
            self._check_revoked(claims)
        caller = Caller(claims)
        if len(self._tokens) >= _TOKEN_CACHE_MAX:
            self._tokens.clear()
        self._tokens[token] = (caller, float(claims["exp"]))
        return caller

    def _check_user_still_signed_in(self, claims: dict[str, Any]) -> None:
        """A delegated token stops working once its user is deleted or disabled (Graph's
        continuous access evaluation answers 401 for these critical events)."""
        if claims.get("idtyp") != "user":
            return
        user = self.store.find_user(str(claims.get("oid") or ""))
        if user is None:
            raise unauthorized(_CAE + "UserDeleted")
        if not user.account_enabled:
            raise unauthorized(_CAE + "UserDisabled")

    def _check_revoked(self, claims: dict[str, Any]) -> None:
        from pscompat.lab.methods import RevokedToken, check_not_revoked
        try:
            check_not_revoked(self.revoked, claims)
        except RevokedToken as exc:
            raise unauthorized(str(exc)) from None

    # -- passes -------------------------------------------------------------------------------
    def hash_pass(self, secret: str) -> tuple[bytes, bytes]:
        return salted_hash(self.pass_key, secret)

    def verify_pass(self, upn: str, secret: str) -> dict[str, Any]:
        from pscompat.lab.signins import verify_pass
        self.refresh()
        result = verify_pass(self, upn, secret)
        outcome = str(result.get("reason")) if result["ok"] else \
            result["error"] + (f": {result['reason']}" if result.get("reason") else "")
        self.activity.signin(upn, bool(result["ok"]), outcome)
        return result

    # -- reset / status -----------------------------------------------------------------------
    def reset(self, scenario: Path | str | None = None) -> None:
        """Re-seed from ``scenario``; None: the scenario this lab was last seeded from (the
        packaged default when that file is gone). Passes, faults and the clock are cleared."""
        from pscompat.lab import scenario as scenario_mod
        path: Path | None = Path(scenario) if scenario is not None else None
        if path is None:
            last = self.scenario_source.get("path")
            if last and Path(last).exists() and Path(last) != scenario_mod.DEFAULT_SCENARIO.resolve():
                path = Path(last)
        try:
            data = scenario_mod.load(path)
        except scenario_mod.ScenarioError as exc:
            raise LabError(str(exc)) from exc
        self.store.seed(data, self.secret_key)
        import secrets
        self.store.set_meta("tokenEpoch", secrets.token_hex(16))
        self._tokens.clear()
        self.unknown_signins.clear()
        if self._clock_injected:
            self.clock.reset()
        with self.store.lock:
            self._data_version = self.store.data_version()
            self._apply_meta(self.store.meta(), self.store.faults())

    def status(self) -> dict[str, Any]:
        self.refresh()
        from pscompat.lab.clock import format_datetime
        users = self.store.users()
        key = key_path(self.path)
        return {
            "path": str(self.path),
            "keyFile": str(key),
            "keyFileMode": oct(key.stat().st_mode & 0o777) if key.exists() else None,
            "schemaVersion": self.store.version(),
            "scenario": self.scenario_source.get("name"),
            "scenarioPath": self.scenario_source.get("path"),
            "tenant": self.tenant,
            "users": len(users),
            "passes": self.store.count_passes(),
            "apps": [a["clientId"] for a in self.store.apps()],
            "policyState": self.policy["state"],
            "clock": {"now": format_datetime(self.clock.now()), "offsetSeconds": self.clock.offset / 1e7,
                      "frozen": self.clock.frozen is not None},
            "faults": [{"id": f.id, **f.spec} for f in self.faults],
        }

    # -- the request pipeline -----------------------------------------------------------------
    def handle(self, req: Request, version_hint: str | None = None, batched: bool = False,
               refreshed: bool = False) -> Response:
        """One request -> one response: Graph semantics, identity endpoints or lab endpoints.
        ``refreshed``: the caller has just picked up other processes' commits (:meth:`refresh`)
        after the request arrived, so this one need not (see ``LabApp``)."""
        if self.recorder is not None and not req.raw_path.lower().startswith(("/lab/console", "/lab/admin")):
            # A $batch is recorded whole and each inner request as an entry of its own (its URL
            # with the batch's version), so the permissions report sees what each one needed.
            started = time.time()
            resp = self._handle(req, version_hint, batched, refreshed)
            self.recorder.record(req, resp, started, time.time() - started,
                                 batch_version=version_hint if batched else None)
            return resp
        return self._handle(req, version_hint, batched, refreshed)

    def _handle(self, req: Request, version_hint: str | None = None, batched: bool = False,
                refreshed: bool = False) -> Response:
        try:
            if not refreshed:
                self.refresh()
            segs = req.segments
            first = segs[0].lower() if segs else ""
            if not batched and first not in self.routes.VERSIONS:
                resp = self.routes.non_graph(self, req, segs)
                if resp is not None:
                    return resp
            return self._graph(req, version_hint, batched)
        except Exception as exc:  # a bug: answer like Graph's 500 and keep serving
            sys.stderr.write(f"pscompat lab: internal error on {req.method} {req.raw_path}: "
                             f"{type(exc).__name__}\n")
            import traceback
            traceback.print_exc(file=sys.stderr)
            err = GraphError(500, "generalException", "An internal error occurred in the lab tenant.")
            return error_response(err, format_error_date(self.clock.now()), new_guid(), new_guid())

    def _graph(self, req: Request, version_hint: str | None, batched: bool) -> Response:
        started = time.perf_counter()
        who = "-"
        rid = new_guid()
        crid = req.header("client-request-id") or rid
        segs = req.segments
        outcome = None
        quota_headers: list[tuple[str, str]] = []
        try:
            check_request(req, batched)
            if segs and segs[0].lower() in self.routes.VERSIONS:
                version, segs = segs[0].lower(), segs[1:]
            elif batched and version_hint:
                version = version_hint
            else:
                raise GraphError(400, "BadRequest", f"Invalid version: {segs[0] if segs else ''}")
            if self.faults:
                outcome = fault_mod.evaluate(self.faults, self.store, req.method, "/" + "/".join(segs),
                                             time.time())
                if outcome.error is not None:
                    status, code, key, retry = outcome.error
                    template = self.settings["messages"].get(key) or _message_default(key)
                    message = template.format(seconds=retry if retry is not None else 0)
                    raise GraphError(status, code, message, headers=(
                        ([] if retry is None else [("retry-after", str(retry))]) + outcome.headers))
            caller = self.authenticate(req)
            who = caller.upn or caller.app_id
            req.caller = caller
            if self.quota is not None:
                quota_headers = self._charge(self.quota, req, caller, segs)
            handler, params = self.routes.resolve_graph(req.method, segs)
            params["version"] = version
            resp = handler(self, req, caller, params)
            if outcome is not None and outcome.malformed and resp.body is not None and 200 <= resp.status < 300:
                corrupted = fault_mod.corrupt(resp.body, outcome.malformed)
                if isinstance(corrupted, bytes):
                    resp.content = corrupted
                else:
                    resp.body = corrupted
        except GraphError as err:
            if err.status == 401:
                err.headers.append(("www-authenticate", _WWW_AUTHENTICATE))
            resp = error_response(err, format_error_date(self.clock.now()), rid, crid)
        if quota_headers:
            resp.headers += quota_headers
        resp.headers.append(("request-id", rid))
        resp.headers.append(("client-request-id", crid))
        resp.headers.append(("x-ms-ags-diagnostic", DIAGNOSTIC))
        if outcome is not None:
            resp.delay += outcome.delay
            if outcome.headers and outcome.error is None:
                resp.headers += outcome.headers
        self.activity.request(req.method, req.raw_path, resp.status, who, time.perf_counter() - started)
        return resp


    def _charge(self, quota: Quota, req: Request, caller: Caller, segs: list[str]) -> list[tuple[str, str]]:
        """Charge the request to Entra's quota model; a refused one is Graph's 429."""
        decision = quota.charge(caller.app_id, self.tenant["id"], req.method, "/".join(segs), req.query,
                                req.header("x-ms-throttle-priority"))
        if decision.retry_after is None:
            return decision.headers
        virtual: list[tuple[str, str]] = []
        if quota.config.virtual_time:
            self.clock.advance(math.ceil(decision.wait * TICKS_PER_SECOND))   # ticks, rounded up
            # Tells pscompat's client the wait already happened on the lab clock (no real sleep).
            virtual = [("x-pscompat-virtual-time", "advanced")]
        template = self.settings["messages"].get("throttled") or _message_default("throttled")
        raise GraphError(429, "TooManyRequests", template.format(seconds=decision.retry_after), headers=[
            ("retry-after", str(decision.retry_after)), ("x-ms-throttle-scope", decision.scope),
            ("x-ms-throttle-information", decision.information), *decision.headers, *virtual])
