"""Graph's authenticationMethodsPolicy: the policy root and its method configurations.

The TemporaryAccessPass configuration is the lab's TAP policy (``lab.policy``, handled in
``responses``: a PATCH there changes what pass creation enforces). The other configurations
(state and targets per method) live in the ``methodConfigs`` meta key.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from pscompat.lab.auth import Caller
from pscompat.lab.http import (
    GraphError,
    Request,
    Response,
    bad_request,
    tap_bad_request,
    unknown_property,
    wrong_type,
)

if TYPE_CHECKING:
    from pscompat.lab.core import Lab

_ALL = [{"targetType": "group", "id": "all_users", "isRegistrationRequired": False}]
# Graph's order of the configurations and their type-specific defaults (TAP comes from lab.policy).
DEFAULT_CONFIGS: dict[str, dict[str, Any]] = {
    "Fido2": {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2",
              "state": "enabled", "isSelfServiceRegistrationAllowed": True, "isAttestationEnforced": False,
              "excludeTargets": [],
              "keyRestrictions": {"isEnforced": False, "enforcementType": "block", "aaGuids": []},
              "includeTargets": _ALL},
    "MicrosoftAuthenticator": {
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
        "id": "MicrosoftAuthenticator", "state": "enabled", "isSoftwareOathEnabled": False,
        "excludeTargets": [],
        "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": False,
                            "authenticationMode": "any"}]},
    "Sms": {"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", "id": "Sms",
            "state": "enabled", "excludeTargets": [],
            "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": False,
                                "isUsableForSignIn": False}]},
    "TemporaryAccessPass": {},
    "SoftwareOath": {"@odata.type": "#microsoft.graph.softwareOathAuthenticationMethodConfiguration",
                     "id": "SoftwareOath", "state": "enabled", "excludeTargets": [], "includeTargets": _ALL},
    "Voice": {"@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration", "id": "Voice",
              "state": "disabled", "isOfficePhoneAllowed": False, "excludeTargets": [], "includeTargets": _ALL},
    "Email": {"@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration", "id": "Email",
              "state": "enabled", "allowExternalIdToUseEmailOtp": "default", "excludeTargets": [],
              "includeTargets": _ALL},
}
_CANONICAL = {k.lower(): k for k in DEFAULT_CONFIGS}
POLICY_READ = ("Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod")


def _configs(lab: Lab) -> dict[str, dict[str, Any]]:
    stored = lab.store.meta().get("methodConfigs") or {}
    return {k: copy.deepcopy(stored.get(k) or v) for k, v in DEFAULT_CONFIGS.items() if k != "TemporaryAccessPass"}


def _not_found(config: str) -> GraphError:
    return GraphError(404, "itemNotFound", f"Authentication method configuration '{config}' was not found.",
                      repeat=True)


def _tap_config(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> dict[str, Any]:
    from pscompat.lab.responses import get_policy
    body = dict(get_policy(lab, req, caller, {**p, "config": "TemporaryAccessPass"}).body)
    body.pop("@odata.context", None)
    body.pop("includeTargets@odata.context", None)
    return body


def get_root(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    from pscompat.lab.responses import _policy_target
    _policy_target(caller, {"config": "TemporaryAccessPass"}, write=False)
    base = f"{req.scheme}://{req.host}/{p['version']}"
    configs = _configs(lab)
    items = [_tap_config(lab, req, caller, p) if k == "TemporaryAccessPass" else configs[k] for k in DEFAULT_CONFIGS]
    body = {
        "@odata.context": f"{base}/$metadata#policies/authenticationMethodsPolicy/$entity",
        "id": "authenticationMethodsPolicy",
        "displayName": "Authentication Methods Policy",
        "description": "The tenant-wide policy that controls which authentication methods are allowed in the "
                       "tenant, authentication method registration requirements, and self-service password "
                       "reset settings",
        "lastModifiedDateTime": lab.tenant.get("policyModified", "2024-01-15T09:00:00Z"),
        "policyVersion": "1.5",
        "policyMigrationState": "migrationComplete",
        "registrationEnforcement": {"authenticationMethodsRegistrationCampaign": {
            "snoozeDurationInDays": 1, "enforceRegistrationAfterAllowedSnoozes": True, "state": "default",
            "excludeTargets": [], "includeTargets": [{"id": "all_users", "targetType": "group",
                                                      "targetedAuthenticationMethod": "microsoftAuthenticator"}]}},
        "authenticationMethodConfigurations@odata.context":
            f"{base}/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
        "authenticationMethodConfigurations": items,
    }
    return Response(200, body)


def get_config(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    from pscompat.lab.responses import _policy_target
    name = _CANONICAL.get(p["config"].lower())
    if name is None or name == "TemporaryAccessPass":
        from pscompat.lab.responses import get_policy
        return get_policy(lab, req, caller, p)
    _policy_target(caller, {"config": "TemporaryAccessPass"}, write=False)
    base = f"{req.scheme}://{req.host}/{p['version']}"
    context = f"{base}/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity"
    return Response(200, {"@odata.context": context, **_configs(lab)[name]})


def patch_config(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    from pscompat.lab.responses import _body_object, _policy_target, patch_policy
    name = _CANONICAL.get(p["config"].lower())
    if name is None or name == "TemporaryAccessPass":
        return patch_policy(lab, req, caller, p)
    _policy_target(caller, {"config": "TemporaryAccessPass"}, write=True)
    current = _configs(lab)[name]
    type_name = current["@odata.type"]
    for key, value in _body_object(req).items():
        if "@" in key:
            if key == "@odata.type" and (not isinstance(value, str) or value.lstrip("#").lower() !=
                                         type_name[1:].lower()):
                raise bad_request(f"A type named '{str(value).lstrip('#')}' could not be resolved by the model. "
                                  "When a model is available, each type name must resolve to a valid type.")
            continue
        if key == "id":
            continue
        if key not in current:
            raise unknown_property(key, type_name.split(".")[-1])
        if key == "state" and value not in ("enabled", "disabled"):
            if not isinstance(value, str):
                raise wrong_type("String")
            raise tap_bad_request(f"Invalid State specified: '{value}'.")
        if key in ("includeTargets", "excludeTargets") and not isinstance(value, list):
            raise wrong_type("Collection")
        if type(current[key]) is bool and not isinstance(value, bool):
            raise wrong_type("Boolean")
        current[key] = value
    stored = lab.store.meta().get("methodConfigs") or {}
    stored[name] = current
    lab.store.set_meta("methodConfigs", json.loads(json.dumps(stored)))
    return Response(204)
