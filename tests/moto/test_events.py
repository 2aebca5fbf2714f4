"""Findings events through EventBridge to an SQS queue, checked through boto3: the rule and queue
`vigil live setup` makes, and the envelopes the services send (every field AWS documents)."""

import json

# The server, its reset before each test (an autouse fixture, active here once imported) and the
# boto3 client are the extension tests' own.
from test_extension import ENDPOINT, client, pytestmark, reset  # noqa: F401

ENVELOPE = {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}
PATTERN = {"source": ["aws.securityhub", "aws.guardduty"],
           "detail-type": ["Security Hub Findings - Imported", "Findings Imported V2", "GuardDuty Finding"]}


def feed(region="us-east-1"):
    sqs, events = client("sqs", region), client("events", region)
    url = sqs.create_queue(QueueName="vigil-live-test")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="vigil-live-test", EventPattern=json.dumps(PATTERN))
    events.put_targets(Rule="vigil-live-test", Targets=[{"Id": "vigil-live", "Arn": arn}])
    return sqs, url


def drain(sqs, url):
    got = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return got
        got.extend(json.loads(m["Body"]) for m in messages)
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                        for i, m in enumerate(messages)])


def asff(i):
    return {"SchemaVersion": "2018-10-08", "Id": f"live-{i}", "ProductArn": "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default",
            "GeneratorId": "vigil-test", "AwsAccountId": "123456789012", "Types": ["Software and Configuration Checks"],
            "CreatedAt": "2026-12-07T10:00:00.000Z", "UpdatedAt": "2026-12-07T10:00:00.000Z",
            "Severity": {"Label": "HIGH"}, "Title": f"live finding {i}", "Description": "d",
            "Resources": [{"Type": "Other", "Id": f"resource-{i}"}]}


def test_imports_and_updates_send_security_hub_events_with_the_whole_envelope():
    sqs, url = feed()
    sh = client("securityhub")
    sh.enable_security_hub()
    sh.batch_import_findings(Findings=[asff(1), asff(2)])
    events = drain(sqs, url)
    assert len(events) == 2
    for event in events:
        assert set(event) == ENVELOPE, set(event) ^ ENVELOPE
        assert (event["source"], event["detail-type"], event["account"], event["region"]) == \
            ("aws.securityhub", "Security Hub Findings - Imported", "123456789012", "us-east-1")
        [finding] = event["detail"]["findings"]
        assert event["resources"] == [f"{finding['ProductArn']}/{finding['Id']}"]
        assert finding["Severity"]["Label"] == "HIGH" and finding["Region"] == "us-east-1"
        assert event["time"].endswith("Z") and "T" in event["time"]
    sh.batch_update_findings(FindingIdentifiers=[{"Id": "live-1", "ProductArn": asff(1)["ProductArn"]}],
                             Workflow={"Status": "RESOLVED"}, Note={"Text": "done", "UpdatedBy": "test"})
    [update] = drain(sqs, url)
    assert update["detail"]["findings"][0]["Workflow"]["Status"] == "RESOLVED"


def test_guardduty_findings_send_their_events():
    sqs, url = feed()
    gd = client("guardduty")
    detector = gd.create_detector(Enable=True)["DetectorId"]
    gd.create_sample_findings(DetectorId=detector, FindingTypes=["Recon:EC2/PortProbeUnprotectedPort"])
    [event] = drain(sqs, url)
    assert set(event) == ENVELOPE
    assert (event["source"], event["detail-type"]) == ("aws.guardduty", "GuardDuty Finding")
    [finding_id] = gd.list_findings(DetectorId=detector)["FindingIds"]
    assert event["detail"]["id"] == finding_id and event["detail"]["type"] == "Recon:EC2/PortProbeUnprotectedPort"


def test_put_events_reach_the_queue_whole_and_other_events_do_not_match():
    sqs, url = feed()
    events = client("events")
    events.put_events(Entries=[
        {"Source": "aws.guardduty", "DetailType": "GuardDuty Finding", "Detail": json.dumps({"id": "x"})},
        {"Source": "aws.ec2", "DetailType": "EC2 Instance State-change Notification", "Detail": "{}"},
    ])
    [event] = drain(sqs, url)
    assert set(event) == ENVELOPE and event["account"] == "123456789012"
