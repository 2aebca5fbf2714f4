"""Vigil's moto extension: Account (Region opt-in)."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError
from ._common import BadRequest, _now_iso, _page, _parse_time, _state  # noqa: F401

# --------------------------------------------------------------------------------------------
# Account (Region opt-in)

# "Regions launched before March 20, 2019 are enabled by default ... Default Regions cannot be
# enabled or disabled"; later ones are opt-in, disabled until the account enables them (Account
# Management reference, "Enable or disable AWS Regions in your account"). Every other Region of the
# aws partition that botocore knows is therefore opt-in.
DEFAULT_REGIONS = frozenset({
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1",
})
REGION_OPT_STATUSES = ("ENABLED", "ENABLING", "DISABLING", "DISABLED", "ENABLED_BY_DEFAULT")


class AccountError(JsonRESTError):
    """An Account Management error: `{"__type", "message"}` plus the shape's other members
    (ValidationException's `reason`), HTTP status from the model."""

    def __init__(self, error_type: str, message: str, code: int, **members: Any):
        super().__init__(error_type, message)
        self.code = code
        self.description = json.dumps({"__type": error_type, "message": message, **members})


def _account_validation(message: str, reason: str = "fieldValidationFailed") -> AccountError:
    return AccountError("ValidationException", message, 400, reason=reason)


def _partition_regions(partition: str) -> dict[str, str]:
    """Region name -> default opt status, for the Regions of `partition` that botocore knows."""
    from boto3 import Session

    regions = Session().get_available_regions("ec2", partition_name=partition)
    return {r: "ENABLED_BY_DEFAULT" if partition != "aws" or r in DEFAULT_REGIONS else "DISABLED" for r in sorted(regions)}


def _install_account() -> None:
    from moto.account import urls
    from moto.account.models import account_backends
    from moto.account.responses import AccountResponse

    for operation in ("listRegions", "getRegionOptStatus", "enableRegion", "disableRegion"):
        urls.url_paths["{0}/" + operation + "$"] = AccountResponse.dispatch

    def target(self: AccountResponse, operation: str) -> str:
        """The account the call is about: the caller's own, or `AccountId`, which only the
        management account of the organisation that account is a member of may name (the
        management account names itself by leaving it out)."""
        account = self._get_param("AccountId")
        if account is None:
            return self.current_account
        if not re.fullmatch(r"\d{12}", str(account)):
            raise _account_validation("AccountId must be a 12-digit account ID")
        if account == self.current_account:
            raise _account_validation("The management account can't specify its own AccountId; call the operation without AccountId")
        from moto.organizations.models import organizations_backends

        if organizations_backends.master_accounts.get(account, (None,))[0] != self.current_account:
            from moto.sts.models import sts_backends

            _, caller_arn, _ = sts_backends[self.current_account][self.partition].get_caller_identity(self.get_access_key(), self.region)
            raise AccountError("AccessDeniedException", f"User: {caller_arn} is not authorized to perform: account:{operation} on "
                               f"account {account}: it is not a member of an organization this account manages", 403)
        return account

    def opt_states(self: AccountResponse, account: str) -> dict[str, str]:
        """Region -> status set by EnableRegion/DisableRegion, on moto's account backend."""
        return _state(account_backends[account][self.partition], "vigil_region_opt", dict)

    def statuses(self: AccountResponse, account: str) -> dict[str, str]:
        return {**_partition_regions(self.partition), **opt_states(self, account)}

    def region_name(self: AccountResponse, known: dict[str, str]) -> str:
        name = self._get_param("RegionName")
        if not name or name not in known:
            raise _account_validation(f"{name!r} is not a Region of partition {self.partition}")
        return name

    def list_regions(self: AccountResponse) -> str:
        account = target(self, "ListRegions")
        max_results = self._get_param("MaxResults")
        max_results = 50 if max_results is None else int(max_results)
        if not 1 <= max_results <= 50:
            raise _account_validation("MaxResults must be from 1 to 50")
        wanted = self._get_param("RegionOptStatusContains") or []
        unknown = [s for s in wanted if s not in REGION_OPT_STATUSES]
        if unknown:
            raise _account_validation(f"RegionOptStatusContains: unknown statuses {', '.join(map(str, unknown))}; "
                                      f"valid: {', '.join(REGION_OPT_STATUSES)}")
        regions = [{"RegionName": name, "RegionOptStatus": status} for name, status in statuses(self, account).items()
                   if not wanted or status in wanted]
        page, token = _page(regions, self._get_param("NextToken"), max_results, "ValidationException")
        body: dict[str, Any] = {"Regions": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def get_region_opt_status(self: AccountResponse) -> str:
        known = statuses(self, target(self, "GetRegionOptStatus"))
        name = region_name(self, known)
        return json.dumps({"RegionName": name, "RegionOptStatus": known[name]})

    def set_region(self: AccountResponse, operation: str, status: str) -> str:
        """AWS goes ENABLING then ENABLED (DISABLING then DISABLED) over minutes to hours; this
        server goes straight to the end state, so ConflictException never arises."""
        account = target(self, operation)
        known = statuses(self, account)
        name = region_name(self, known)
        if known[name] == "ENABLED_BY_DEFAULT":
            raise _account_validation(f"{name} is enabled by default and cannot be enabled or disabled", "invalidRegionOptTarget")
        opt_states(self, account)[name] = status
        return ""

    AccountResponse.list_regions = list_regions
    AccountResponse.get_region_opt_status = get_region_opt_status
    AccountResponse.enable_region = lambda self: set_region(self, "EnableRegion", "ENABLED")
    AccountResponse.disable_region = lambda self: set_region(self, "DisableRegion", "DISABLED")
