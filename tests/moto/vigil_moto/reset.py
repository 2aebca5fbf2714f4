"""Vigil's moto extension: Reset."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError
from ._common import BadRequest, _now_iso, _page, _parse_time, _state  # noqa: F401

# --------------------------------------------------------------------------------------------
# Reset


def _install_reset() -> None:
    """Makes POST /moto-api/reset forget organisations entirely. moto 5.2.5 resets every backend
    but keeps two maps outside them: Organizations' member account -> management account
    (``organizations_backends.master_accounts``), so that after a reset a former member account's
    DescribeOrganization (and Security Hub's GetAdministratorAccount) fail with a 500, and Security
    Hub's per-organisation configuration (``SecurityHubBackend._org_configs``)."""
    from moto.core.base_backend import BackendDict
    from moto.organizations.models import organizations_backends
    from moto.securityhub.models import SecurityHubBackend

    original = BackendDict.reset.__func__  # type: ignore[attr-defined]

    def reset(cls: type) -> None:
        original(cls)
        organizations_backends.master_accounts.clear()
        SecurityHubBackend._org_configs.clear()

    BackendDict.reset = classmethod(reset)  # type: ignore[method-assign,assignment]
