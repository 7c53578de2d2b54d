"""The lab's identity rules, shared by its front ends: the claims of a token it issues, and the
sign-in check with its lockout (pass sign-in and password grant alike). No request handling
here: the OAuth and sign-in endpoints (oauth.py) call these."""

from __future__ import annotations

import base64
import os
import time
from typing import TYPE_CHECKING, Any

from pscompat.lab import policy as tap_policy
from pscompat.lab.auth import ROLE_TEMPLATE_IDS, check_keyed_hash
from pscompat.lab.clock import TICKS_PER_MINUTE

if TYPE_CHECKING:
    from pscompat.lab.core import Lab
    from pscompat.lab.models import User

GRAPH_RESOURCE = "https://graph.microsoft.com"


def token_claims(lab: Lab, app: dict[str, Any], user: User | None, scopes: list[str] | None,
                 permissions: list[str] | None, lifetime: int) -> dict[str, Any]:
    now = int(time.time())
    tid = lab.tenant["id"]
    claims: dict[str, Any] = {
        "aud": GRAPH_RESOURCE, "iss": f"https://sts.windows.net/{tid}/", "iat": now, "nbf": now,
        "exp": now + lifetime, "app_displayname": app["displayName"], "appid": app["clientId"],
        "idtyp": "user" if user else "app", "tid": tid, "ver": "1.0",
        "uti": base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("="),
        "lab_iat_us": time.time_ns() // 1000,  # revokeSignInSessions compares to the microsecond
    }
    if user is None:
        claims.update(oid=app["servicePrincipalId"], sub=app["servicePrincipalId"],
                      roles=list(app["permissions"] if permissions is None else permissions))
    else:
        claims.update(oid=user.id, sub=user.id, upn=user.upn, unique_name=user.upn,
                      name=user.data.get("displayName"),
                      scp=" ".join(app["delegated"] if scopes is None else scopes),
                      wids=[ROLE_TEMPLATE_IDS[r] for r in user.roles if r in ROLE_TEMPLATE_IDS])
    return claims


ACCOUNT_LOCKED = ("The account is locked, you've tried to sign in too many times with an incorrect "
                  "user ID or password.")
_DUMMY = (b"\0" * 16, b"\0" * 32)
_UNKNOWN_MAX = 10_000


def _name_key(lab: Lab, name: str) -> str:
    """Unknown sign-in names are counted under a keyed hash (a typed password never lands in memory)."""
    import hashlib
    import hmac
    return hmac.new(lab.secret_key, name.strip().lower().encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def lockout_state(lab: Lab, db: Any, user: User | None, name: str, now: int) -> tuple[int, int | None]:
    """(failures so far, locked-until when locked now). Unknown names are counted like users,
    so a lockout tells nobody whether the account exists."""
    if user is not None:
        row = db.execute("SELECT failures, locked_until FROM signin WHERE user_id=?", (user.id,)).fetchone()
        failures, locked_until = (row[0], row[1]) if row else (0, None)
    else:
        failures, locked_until = lab.unknown_signins.get(_name_key(lab, name), (0, None))
    if locked_until is not None and now < locked_until:
        return failures, locked_until
    return (0 if locked_until is not None else failures), None


def record_failure(lab: Lab, db: Any, user: User | None, name: str, now: int, failures: int) -> int | None:
    """Count one failed sign-in; the lock's end when this one locks the account."""
    settings = lab.settings["signin"]
    failures += 1
    lock = now + int(settings["lockoutMinutes"]) * TICKS_PER_MINUTE \
        if failures >= int(settings["maxFailures"]) else None
    if user is not None:
        db.execute("INSERT OR REPLACE INTO signin(user_id, failures, locked_until) VALUES(?,?,?)",
                   (user.id, failures, lock))
    else:
        if len(lab.unknown_signins) >= _UNKNOWN_MAX:
            lab.unknown_signins.clear()
        lab.unknown_signins[_name_key(lab, name)] = (failures, lock)
    return lock


def clear_failures(db: Any, user: User) -> None:
    db.execute("DELETE FROM signin WHERE user_id=?", (user.id,))


def verify_pass(lab: Lab, upn: str, secret: str) -> dict[str, Any]:
    """The sign-in rule, in one write transaction (a one-time pass can be used once only)."""
    user = lab.store.find_user(upn)
    now = lab.clock.now()
    with lab.store.write() as db:
        failures, locked_until = lockout_state(lab, db, user, upn, now)
        if locked_until is not None:
            check_keyed_hash(lab.pass_key, _DUMMY[0], secret, _DUMMY[1])  # same work, no oracle
            return {"ok": False, "error": "locked", "until": locked_until}
        prow = None if user is None else db.execute(
            "SELECT id, created, start, lifetime, usable_once, salt, digest, used "
            "FROM passes WHERE user_id=?", (user.id,)).fetchone()
        salt, digest = (prow[5], prow[6]) if prow else _DUMMY
        good = check_keyed_hash(lab.pass_key, salt, secret, digest) and prow is not None
        if not good:
            lock = record_failure(lab, db, user, upn, now, failures)
            if lock is not None:
                return {"ok": False, "error": "locked", "until": lock}
            return {"ok": False, "error": "invalid"}
        assert user is not None
        assert prow is not None
        if not user.account_enabled:
            return {"ok": False, "error": "disabled"}
        reason = tap_policy.usability(lab.policy, user.id, user.groups, created=prow[1], start=prow[2],
                                      lifetime=prow[3], usable_once=bool(prow[4]), used=prow[7], now=now)
        clear_failures(db, user)
        if reason != tap_policy.ENABLED_BY_POLICY:
            return {"ok": False, "error": "notUsable", "reason": reason}
        if prow[4]:
            db.execute("UPDATE passes SET used=? WHERE user_id=?", (now, user.id))
            reason = tap_policy.ONE_TIME_USED
        return {"ok": True, "user": user, "reason": reason}
