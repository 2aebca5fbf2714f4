"""Findings events, as Security Hub and GuardDuty send them to EventBridge, and EventBridge's
delivery of whole events to targets.

AWS (EventBridge User Guide "Amazon EventBridge events"; Security Hub CSPM User Guide "EventBridge
event formats"; Security Hub "Findings Imported V2"; GuardDuty User Guide "GuardDuty finding
events"): every event is the envelope ``version``, ``id``, ``detail-type``, ``source``,
``account``, ``time`` (ISO 8601, seconds), ``region``, ``resources`` and ``detail``; a target
without an input transformer receives the event whole.

moto 5.2.5 delivers PutEvents to a rule's SQS target, but always through its default input
template, which drops ``account``; and no service emits events. Added here:

- a target without ``InputTransformer`` receives the whole envelope (``account`` included, moto's
  internal ``ingestion-time`` left out);
- ``emit(...)``: a service's event on the account's default bus in a Region, for the modules of
  the services that send them: Security Hub CSPM "Security Hub Findings - Imported" (one ASFF
  finding in ``detail.findings``) for every finding BatchImportFindings creates or updates and
  every finding BatchUpdateFindings changes, in the finding's Region and, where a finding
  aggregator links that Region, in the aggregation Region too; the new Security Hub "Findings
  Imported V2" (one OCSF finding) for what its seeding and BatchUpdateFindingsV2 change; GuardDuty
  "GuardDuty Finding" (the finding as GetFindings returns it) for every finding it generates
  (CreateSampleFindings, the seeding endpoint).
"""

from __future__ import annotations

import copy
import time
import uuid
from typing import Any

CSPM_IMPORTED = "Security Hub Findings - Imported"
V2_IMPORTED = "Findings Imported V2"
GUARDDUTY_FINDING = "GuardDuty Finding"


def emit(account: str, region: str, source: str, detail_type: str, detail: dict[str, Any],
         resources: list[str]) -> None:
    """Sends one event to the rules of the default event bus of `account` in `region`."""
    from moto.events.models import events_backends

    backend = events_backends[account][region]
    bus = backend.event_buses.get("default")
    if bus is None:
        return
    event = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": account,
        # moto's SQS delivery writes it as ISO 8601 seconds ("2026-12-07T10:00:00Z").
        "time": time.time(),
        "region": region,
        "resources": resources,
        "detail": detail,
    }
    for rule in list(bus.rules.values()):
        if rule.state == "ENABLED":
            rule.send_to_targets(copy.deepcopy(event), transform_input=False)


def _install_whole_events() -> None:
    from moto.events.models import Rule

    original = Rule.send_to_targets

    def send_to_targets(self: Rule, original_event: dict[str, Any], transform_input: bool = True) -> None:
        if transform_input and not any(t.get("InputTransformer") for t in self.targets):
            event = {k: v for k, v in original_event.items() if k != "ingestion-time"}
            return original(self, event, transform_input=False)
        return original(self, original_event, transform_input)

    Rule.send_to_targets = send_to_targets


def install() -> None:
    _install_whole_events()
