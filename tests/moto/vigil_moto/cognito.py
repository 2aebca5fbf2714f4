"""Vigil's moto extension: Cognito."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError
from ._common import BadRequest, _now_iso, _page, _parse_time, _state  # noqa: F401

# --------------------------------------------------------------------------------------------
# Cognito


def _install_cognito() -> None:
    from moto.cognitoidp.exceptions import UserNotFoundError
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.cognitoidp.responses import CognitoIdpResponse
    from moto.core.responses import ActionResult
    from moto.moto_api._internal import urls as api_urls

    def events_for(backend: Any) -> dict[tuple[str, str], list[dict[str, Any]]]:
        return _state(backend, "vigil_auth_events", dict)

    def admin_list_user_auth_events(self: CognitoIdpResponse) -> ActionResult:
        pool_id = self._get_param("UserPoolId")
        username = self._get_param("Username")
        pool = self.backend.describe_user_pool(pool_id)
        mode = (pool.extended_config.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode", "OFF")
        if mode == "OFF":
            raise BadRequest("UserPoolAddOnNotEnabledException", "Threat protection is not enabled for this user pool.")
        if not pool._get_user(username):
            raise UserNotFoundError("User does not exist.")
        max_results = int(self._get_param("MaxResults") or 60)
        if not 0 <= max_results <= 60:
            raise BadRequest("InvalidParameterException", "MaxResults must be between 0 and 60")
        events = sorted(events_for(self.backend).get((pool_id, username), []), key=lambda e: e["CreationDate"], reverse=True)
        page, token = _page(events, self._get_param("NextToken"), max_results or 60, "InvalidParameterException")
        body: dict[str, Any] = {"AuthEvents": page}
        if token:
            body["NextToken"] = token
        return ActionResult(body)

    def seed_auth_events(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        """Test seeding only: POST {Account?, Region, UserPoolId, Username, AuthEvents: [AuthEventType]}."""
        if request.method != "POST":
            return 405, {}, json.dumps({"Error": "POST only"})
        from moto.moto_api._internal.urls import response_instance

        body = response_instance._get_body(headers, request)
        backend = cognitoidp_backends[body.get("Account", "123456789012")][body["Region"]]
        pool = backend.describe_user_pool(body["UserPoolId"])
        if not pool._get_user(body["Username"]):
            return 400, {}, json.dumps({"Error": "no such user"})
        stored = events_for(backend).setdefault((body["UserPoolId"], body["Username"]), [])
        for event in body["AuthEvents"]:
            stored.append({"EventId": event.get("EventId", uuid.uuid4().hex), **event})
        return 200, {}, json.dumps({"stored": len(stored)})

    CognitoIdpResponse.admin_list_user_auth_events = admin_list_user_auth_events
    api_urls.url_paths["{0}/moto-api/vigil/cognito-auth-events"] = seed_auth_events
