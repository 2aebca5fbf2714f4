"""Helpers shared by the extension's modules."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError

# --------------------------------------------------------------------------------------------
# helpers


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def _parse_time(text: str) -> dt.datetime:
    text = text.replace("Z", "+00:00")
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _page(items: list[Any], next_token: str | None, max_results: int,
          error: str = "InvalidInputException") -> tuple[list[Any], str | None]:
    """One page of `items`. A token that this server did not hand out is the service's 400 `error`
    (Security Hub InvalidInputException, GuardDuty BadRequestException), never a 500."""
    start = 0
    if next_token:
        if not (next_token.isdigit() and int(next_token) <= len(items)):
            raise BadRequest(error, "The request is rejected because the nextToken is invalid.")
        start = int(next_token)
    end = start + max_results
    return items[start:end], (str(end) if end < len(items) else None)


def _state(backend: Any, name: str, factory: Callable[[], Any]) -> Any:
    """Extension state kept on moto's backend object, so a moto reset clears it."""
    if not hasattr(backend, name):
        setattr(backend, name, factory())
    return getattr(backend, name)


class BadRequest(JsonRESTError):
    def __init__(self, error_type: str, message: str, code: int = 400):
        super().__init__(error_type, message)
        self.code = code
