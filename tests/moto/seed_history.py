"""History's data for tests/aws_history.rs: a Security Lake data lake with its log sources and the
Glue tables Security Lake makes (through the AWS APIs, boto3), Athena answers seeded through the
extension's /moto-api/vigil/athena-results endpoint, and the queries Athena was sent.

    python -c "import sys; sys.path.insert(0, 'tests/moto'); import seed_history as h; ..."
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import boto3

ACCOUNT = "123456789012"

# The columns of Security Lake 2.0's Security Hub findings table that history reads (OCSF 1.1;
# Security Lake's Iceberg tables list time_dt, region and accountid as columns).
FINDINGS_COLUMNS = [
    ("time_dt", "timestamp"),
    ("severity", "string"),
    ("severity_id", "int"),
    ("finding_info", "struct<uid:string,title:string,types:array<string>>"),
    ("resources", "array<struct<uid:string,type:string,region:string>>"),
    ("compliance", "struct<control:string,status:string>"),
    ("src_endpoint", "struct<ip:string>"),
    ("actor", "struct<user:struct<name:string,uid:string>>"),
    ("evidences", "array<struct<src_endpoint:struct<ip:string>,actor:struct<user:struct<name:string>>>>"),
    ("region", "string"),
    ("accountid", "string"),
]


def _client(service: str, endpoint: str, region: str) -> Any:
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def seed_lake(endpoint: str, region: str, sources: tuple[str, ...] = ("SH_FINDINGS",), version: str = "2.0",
              rollup_from: tuple[str, ...] = ()) -> dict[str, Any]:
    """A data lake in `region` collecting `sources` for the account, and the Glue database and
    tables Security Lake makes there. With `rollup_from`, data lakes in those regions replicate
    into `region` (a rollup region), collecting nothing themselves."""
    lake = _client("securitylake", endpoint, region)
    configurations = [{"region": region}]
    configurations += [{"region": r, "replicationConfiguration": {"regions": [region]}} for r in rollup_from]
    lake.create_data_lake(
        configurations=configurations,
        metaStoreManagerRoleArn=f"arn:aws:iam::{ACCOUNT}:role/AmazonSecurityLakeMetaStoreManager",
    )
    lake.create_aws_log_source(
        sources=[{"accounts": [ACCOUNT], "regions": [region], "sourceName": s, "sourceVersion": version} for s in sources]
    )
    glue = _client("glue", endpoint, region)
    under = region.replace("-", "_")
    database = f"amazon_security_lake_glue_db_{under}"
    glue.create_database(DatabaseInput={"Name": database})
    tables = []
    for source in sources:
        name = f"amazon_security_lake_table_{under}_{source.lower()}_{version.replace('.', '_')}"
        glue.create_table(
            DatabaseName=database,
            TableInput={
                "Name": name,
                "TableType": "EXTERNAL_TABLE",
                "Parameters": {"table_type": "ICEBERG"},
                "StorageDescriptor": {"Columns": [{"Name": n, "Type": t} for n, t in FINDINGS_COLUMNS]},
            },
        )
        tables.append(f"{database}.{name}")
    return {"database": database, "tables": tables}


def seed_waf_table(endpoint: str, region: str, database: str, name: str) -> None:
    """The table `vigil history setup` makes, as Glue holds it (moto's Athena does not run DDL)."""
    glue = _client("glue", endpoint, region)
    try:
        glue.create_database(DatabaseInput={"Name": database})
    except glue.exceptions.AlreadyExistsException:
        pass
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": name,
            "TableType": "EXTERNAL_TABLE",
            "PartitionKeys": [{"Name": "day", "Type": "string"}],
            "StorageDescriptor": {
                "Columns": [
                    {"Name": "timestamp", "Type": "bigint"},
                    {"Name": "webaclid", "Type": "string"},
                    {"Name": "action", "Type": "string"},
                    {"Name": "terminatingruleid", "Type": "string"},
                    {"Name": "httprequest", "Type": "struct<clientip:string,country:string,uri:string>"},
                ]
            },
        },
    )


def seed_result(endpoint: str, match: str, columns: list[tuple[str, str]], rows: list[list[Any]],
                bytes_scanned: int = 0, running_polls: int = 0, times: int | None = None,
                state: str = "SUCCEEDED", reason: str | None = None) -> None:
    """The answer Athena gives to the next query whose text contains `match`."""
    body = {
        "match": match,
        "columns": [{"Name": n, "Type": t} for n, t in columns],
        "rows": rows,
        "bytes_scanned": bytes_scanned,
        "running_polls": running_polls,
        "times": times,
        "state": state,
    }
    if reason:
        body["reason"] = reason
    request = urllib.request.Request(
        f"{endpoint}/moto-api/vigil/athena-results",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request).read()


def queries(endpoint: str) -> list[dict[str, Any]]:
    """Every query Athena was sent, in order."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/vigil/athena-queries") as answer:
        return json.loads(answer.read())["queries"]


def seed_waf_acl(endpoint: str, region: str, name: str, destination: str) -> str:
    """A Regional web ACL logging to `destination` (an S3 bucket's ARN, or a log group's); its ARN."""
    waf = _client("wafv2", endpoint, region)
    made = waf.create_web_acl(
        Name=name,
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name},
    )
    arn = made["Summary"]["ARN"]
    waf.put_logging_configuration(LoggingConfiguration={"ResourceArn": arn, "LogDestinationConfigs": [destination]})
    return arn
