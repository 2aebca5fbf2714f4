"""Vigil's moto extension: STS."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError
from ._common import BadRequest, _now_iso, _page, _parse_time, _state  # noqa: F401

# --------------------------------------------------------------------------------------------
# STS

ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/.+$")
STRING_CONDITIONS = ("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
                     "StringLike", "StringNotLike")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _role_named(role_arn: str) -> Any:
    """The IAM role `role_arn` names, from moto's IAM backend of the account in the ARN (IAM is
    global: one backend per account and partition), or None."""
    from moto.iam.models import iam_backends

    match = ROLE_ARN.match(role_arn or "")
    if not match:
        return None
    partition, account = match.groups()
    return next((r for r in iam_backends[account][partition].get_roles() if r.arn == role_arn), None)


def _principal_matches(principal: Any, caller_arn: str, caller_account: str) -> bool:
    """A trust policy's `Principal` against the caller: `*`, the caller's account (bare id or
    `arn:<partition>:iam::<account>:root`), the caller's own ARN, or for a role session the role."""
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    partition = caller_arn.split(":")[1] if caller_arn.startswith("arn:") else "aws"
    names = {"*", caller_account, f"arn:{partition}:iam::{caller_account}:root", caller_arn}
    session = re.match(r"^arn:([^:]+):sts::(\d{12}):assumed-role/([^/]+)/", caller_arn)
    if session:
        names.add(f"arn:{session[1]}:iam::{session[2]}:role/{session[3]}")
    elif ":sts::" in caller_arn:  # moto's default identity, arn:aws:sts::<account>:user/moto
        names.add(caller_arn.replace(":sts::", ":iam::", 1))
    return any(p in names for p in _as_list(principal.get("AWS", [])))


def _string_condition(operator: str, value: str | None, expected: list[str]) -> bool:
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    if value is None:
        # A key missing from the request satisfies only the ...IfExists forms (and the negations).
        return if_exists or "Not" in operator
    if operator.endswith("IgnoreCase"):
        value, expected = value.lower(), [e.lower() for e in expected]
        operator = operator.removesuffix("IgnoreCase")
    if operator in ("StringLike", "StringNotLike"):
        import fnmatch

        hit = any(fnmatch.fnmatchcase(value, e) for e in expected)
    else:
        hit = value in expected
    return not hit if "Not" in operator else hit


def _conditions_hold(conditions: dict[str, Any], external_id: str | None) -> bool:
    """The statement's Condition block, as far as this server knows the request: the string
    operators on `sts:ExternalId`. Other keys and operators are not modelled and hold."""
    for operator, keys in (conditions or {}).items():
        if operator.removesuffix("IfExists") not in STRING_CONDITIONS:
            continue
        for key, expected in (keys or {}).items():
            if key.lower() == "sts:externalid" and not _string_condition(operator, external_id, [str(e) for e in _as_list(expected)]):
                return False
    return True


def _trust_allows(role: Any, caller_arn: str, caller_account: str, external_id: str | None) -> bool:
    """Whether the role's trust policy lets the caller call sts:AssumeRole: some Allow statement
    and no Deny statement matches the action, the principal and the conditions."""
    try:
        policy = json.loads(role.assume_role_policy_document)
    except (TypeError, ValueError):
        return False
    import fnmatch

    allowed = False
    for statement in _as_list(policy.get("Statement", [])):
        actions = [str(a).lower() for a in _as_list(statement.get("Action", []))]
        if not any(fnmatch.fnmatchcase("sts:assumerole", a) for a in actions):
            continue
        if not _principal_matches(statement.get("Principal"), caller_arn, caller_account):
            continue
        if not _conditions_hold(statement.get("Condition") or {}, external_id):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def _sts_error(code: str, message: str, status: int) -> tuple[str, dict[str, Any]]:
    """An STS (query protocol) error as AWS sends it: HTTP `status`, body
    <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>."""
    from xml.sax.saxutils import escape

    body = ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n'
            f"  <Error>\n    <Type>Sender</Type>\n    <Code>{escape(code)}</Code>\n    <Message>{escape(message)}</Message>\n  </Error>\n"
            f"  <RequestId>{uuid.uuid4()}</RequestId>\n</ErrorResponse>\n")
    return body, {"status": status, "Content-Type": "text/xml"}


def _install_sts() -> None:
    from moto.sts.responses import TokenResponse

    moto_assume_role = TokenResponse.assume_role

    def assume_role(self: TokenResponse) -> Any:
        """AccessDenied (HTTP 403), as STS answers, unless the role exists in the account of its ARN
        and its trust policy lets the caller assume it (ExternalId included); then moto's own
        AssumeRole, whose credentials act in the role's account. moto alone hands out credentials
        for any ARN."""
        role_arn = self._get_param("RoleArn")
        _, caller_arn, caller_account = self.backend.get_caller_identity(self.get_access_key(), self.region)
        role = _role_named(role_arn)
        if role is None or not _trust_allows(role, caller_arn, caller_account, self._get_param("ExternalId")):
            return _sts_error("AccessDenied", f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}", 403)
        return moto_assume_role(self)

    TokenResponse.assume_role = assume_role
