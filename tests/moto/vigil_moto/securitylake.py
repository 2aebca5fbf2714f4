"""Vigil's moto extension: Amazon Security Lake (REST-JSON), a service moto 5.2.5 does not have.

Registered the way moto finds its own services: a ``("securitylake", <url pattern>)`` entry in
``moto.backend_index.backend_url_patterns`` (the server picks the service from the request's
SigV4 signing name, ``securitylake``, and that pattern), and modules ``moto.securitylake``,
``moto.securitylake.models``, ``.urls`` and ``.responses`` in ``sys.modules``, so that
``moto.backends.get_backend("securitylake")`` finds ``securitylake_backends`` (a moto
``BackendDict``) and the backend finds its ``url_paths``. The response class is a moto
``BaseResponse``: moto resolves each operation from botocore's ``securitylake/2018-05-10`` model by
method and path. State lives on the backend of the account and Region, so ``POST /moto-api/reset``
clears it. Shapes, enums and limits from that model.

Added:
  CreateDataLake     configurations (1 or more, one per Region, each Region at most once) and
                     metaStoreManagerRoleArn (an IAM role ARN); answers dataLakes: dataLakeArn
                     arn:aws:securitylake:<region>:<account>:data-lake/default, s3BucketArn
                     arn:aws:s3:::aws-security-data-lake-<region>-<30 random [a-z0-9]>,
                     createStatus COMPLETED, region, encryptionConfiguration (kmsKeyId
                     S3_MANAGED_KEY unless given), lifecycle and replication configurations as
                     given; a Region that already has one: ConflictException (409), nothing made
  ListDataLakes      GET, optional ``regions`` query list; only Regions that have a data lake
                     (none: an empty list), sorted by Region
  CreateAwsLogSource sources (1-50): regions, sourceName (the model's AwsLogSourceName enum),
                     accounts (default: the caller's), sourceVersion (default and "latest": 2.0);
                     a Region without a data lake: its accounts in ``failed`` (the model's
                     ``failed`` is an AccountList), the other Regions still enabled
  DeleteAwsLogSource the same request; removes the sources (absent ones are no error)
  ListLogSources     accounts, regions, sources ({awsLogSource: {sourceName, sourceVersion?}};
                     a customLogSource filter matches nothing), maxResults 1-100 (default 100),
                     nextToken (one this server did not hand out: BadRequestException 400);
                     sources: one {account, region, sources: [{awsLogSource: {sourceName,
                     sourceVersion}}]} per account and Region with a source, by Region then account
  The three log-source operations called in a Region without a data lake:
                     ResourceNotFoundException (404, resourceType DATA_LAKE)
"""

from __future__ import annotations

import json
import re
import secrets
import string
import sys
import types
from typing import Any
from urllib.parse import parse_qs

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.responses import BaseResponse

from ._common import BadRequest, _now_iso, _page

REGION_PATTERN = re.compile(r"^(us(-gov)?|af|ap|ca|eu|me|sa)-(central|north|(north(?:east|west))|south|south(?:east|west)|east|west)-\d+$")
ROLE_ARN_PATTERN = re.compile(r"^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$")
VERSION_PATTERN = re.compile(r"^(latest|[0-9]\.[0-9])$")
DEFAULT_SOURCE_VERSION = "2.0"
URL_BASE = r"https?://securitylake\.(.+)\.amazonaws\.com"

Response = tuple[int, dict[str, str], str]


def _source_names() -> tuple[str, ...]:
    """AwsLogSourceName's enum, read from botocore's model (ROUTE53, VPC_FLOW, SH_FINDINGS, ...)."""
    from moto.core.utils import get_service_model

    return tuple(get_service_model("securitylake").shape_for("AwsLogSourceName").enum)


def _error(error_type: str, message: str, status: int, **members: Any) -> BadRequest:
    """A Security Lake error: body {"__type", "message", ...the shape's other members}."""
    err = BadRequest(error_type, message, status)
    err.description = json.dumps({"__type": error_type, "message": message, **members})
    return err


def _bad(message: str) -> BadRequest:
    return _error("BadRequestException", message, 400)


def _ok(body: dict[str, Any]) -> Response:
    return 200, {"Content-Type": "application/json"}, json.dumps(body)


class SecurityLakeBackend(BaseBackend):
    """One account's Security Lake in one Region: its data lake (or None) and the AWS log sources
    enabled in this Region, per account (a delegated administrator's backend holds its members')."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.data_lake: dict[str, Any] | None = None
        # account -> sourceName -> sourceVersion
        self.log_sources: dict[str, dict[str, str]] = {}


# BaseBackend finds its URL module from the class's module: "...models" -> "...urls".
SecurityLakeBackend.__module__ = "moto.securitylake.models"

securitylake_backends = BackendDict(SecurityLakeBackend, "securitylake")


class SecurityLakeResponse(BaseResponse):
    def __init__(self) -> None:
        super().__init__(service_name="securitylake")

    # ---- helpers -----------------------------------------------------------------------------

    def _account_backends(self) -> Any:
        return securitylake_backends[self.current_account]

    def _backend_of(self, region: str) -> SecurityLakeBackend:
        backends = self._account_backends()
        if region not in backends.regions:
            raise _bad(f"Security Lake is not available in Region {region}.")
        return backends[region]

    def _body(self) -> dict[str, Any]:
        try:
            body = json.loads(self.body) if self.body else {}
        except ValueError:
            raise _bad("The request body is not JSON.") from None
        return body if isinstance(body, dict) else {}

    def _query_list(self, name: str) -> list[str]:
        return parse_qs(self.parsed_url.query).get(name, [])

    def _need_data_lake(self) -> SecurityLakeBackend:
        backend = self._backend_of(self.region)
        if backend.data_lake is None:
            raise _error("ResourceNotFoundException",
                         f"The data lake does not exist for account {self.current_account} in Region {self.region}. "
                         "Create it with CreateDataLake first.", 404,
                         resourceName=f"arn:aws:securitylake:{self.region}:{self.current_account}:data-lake/default",
                         resourceType="DATA_LAKE")
        return backend

    # ---- data lakes --------------------------------------------------------------------------

    def create_data_lake(self) -> Response:
        body = self._body()
        role = body.get("metaStoreManagerRoleArn")
        if not isinstance(role, str) or not ROLE_ARN_PATTERN.match(role):
            raise _bad("metaStoreManagerRoleArn must be an IAM role ARN.")
        configurations = body.get("configurations")
        if not isinstance(configurations, list) or not configurations:
            raise _bad("configurations must hold at least one DataLakeConfiguration.")
        tags = body.get("tags") or []
        if not isinstance(tags, list) or len(tags) > 50:
            raise _bad("tags must be a list of at most 50 {key, value}.")
        seen: set[str] = set()
        for config in configurations:
            region = config.get("region") if isinstance(config, dict) else None
            if not isinstance(region, str) or not REGION_PATTERN.match(region):
                raise _bad(f"configurations[].region {region!r} is not a Region.")
            if region in seen:
                raise _bad(f"Region {region} is configured more than once.")
            seen.add(region)
            backend = self._backend_of(region)
            if backend.data_lake is not None:
                raise _error("ConflictException", f"A data lake already exists in Region {region}; use UpdateDataLake.", 409,
                             resourceName=backend.data_lake["dataLakeArn"], resourceType="DATA_LAKE")
        made = []
        for config in configurations:
            region = config["region"]
            bucket_id = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(30))
            lake: dict[str, Any] = {
                "dataLakeArn": f"arn:aws:securitylake:{region}:{self.current_account}:data-lake/default",
                "region": region,
                "s3BucketArn": f"arn:aws:s3:::aws-security-data-lake-{region}-{bucket_id}",
                "createStatus": "COMPLETED",
                "encryptionConfiguration": config.get("encryptionConfiguration") or {"kmsKeyId": "S3_MANAGED_KEY"},
            }
            for key in ("lifecycleConfiguration", "replicationConfiguration"):
                if config.get(key):
                    lake[key] = config[key]
            backend = self._backend_of(region)
            backend.data_lake = lake
            backend.vigil_meta = {"metaStoreManagerRoleArn": role, "tags": tags, "createdAt": _now_iso()}
            made.append(lake)
        return _ok({"dataLakes": made})

    def list_data_lakes(self) -> Response:
        regions = self._query_list("regions")
        for region in regions:
            if not REGION_PATTERN.match(region):
                raise _bad(f"regions: {region!r} is not a Region.")
        lakes = [backend.data_lake for region, backend in sorted(self._account_backends().items())
                 if backend.data_lake is not None and (not regions or region in regions)]
        return _ok({"dataLakes": lakes})

    # ---- AWS log sources ---------------------------------------------------------------------

    def _source_configurations(self) -> list[dict[str, Any]]:
        sources = self._body().get("sources")
        if not isinstance(sources, list) or not 1 <= len(sources) <= 50:
            raise _bad("sources must hold 1 to 50 AwsLogSourceConfiguration.")
        names = _source_names()
        parsed = []
        for source in sources:
            if not isinstance(source, dict):
                raise _bad("each source must be an AwsLogSourceConfiguration.")
            name = source.get("sourceName")
            if name not in names:
                raise _bad(f"sourceName {name!r} must be one of {', '.join(names)}.")
            regions = source.get("regions")
            if not isinstance(regions, list) or not regions:
                raise _bad("regions is required.")
            for region in regions:
                if not isinstance(region, str) or not REGION_PATTERN.match(region):
                    raise _bad(f"regions: {region!r} is not a Region.")
            accounts = source.get("accounts") or [self.current_account]
            for account in accounts:
                if not isinstance(account, str) or not re.fullmatch(r"\d{12}", account):
                    raise _bad(f"accounts: {account!r} is not a 12-digit account id.")
            version = source.get("sourceVersion") or "latest"
            if not isinstance(version, str) or not VERSION_PATTERN.match(version):
                raise _bad(f"sourceVersion {version!r} must match ^(latest|[0-9]\\.[0-9])$.")
            if version == "latest":
                version = DEFAULT_SOURCE_VERSION
            parsed.append({"sourceName": name, "sourceVersion": version, "regions": regions, "accounts": accounts})
        return parsed

    def _change_sources(self, enable: bool) -> Response:
        self._need_data_lake()
        failed: list[str] = []
        for source in self._source_configurations():
            for region in source["regions"]:
                backend = self._backend_of(region)
                if backend.data_lake is None:
                    failed += [a for a in source["accounts"] if a not in failed]
                    continue
                for account in source["accounts"]:
                    enabled = backend.log_sources.setdefault(account, {})
                    if enable:
                        enabled[source["sourceName"]] = source["sourceVersion"]
                    else:
                        enabled.pop(source["sourceName"], None)
                        if not enabled:
                            del backend.log_sources[account]
        return _ok({"failed": failed})

    def create_aws_log_source(self) -> Response:
        return self._change_sources(enable=True)

    def delete_aws_log_source(self) -> Response:
        return self._change_sources(enable=False)

    def list_log_sources(self) -> Response:
        self._need_data_lake()
        body = self._body()
        size = body.get("maxResults") or 100
        if not isinstance(size, int) or not 1 <= size <= 100:
            raise _bad("maxResults must be from 1 to 100.")
        accounts = body.get("accounts") or []
        regions = body.get("regions") or []
        filters = body.get("sources") or []
        if not all(isinstance(f, dict) for f in filters):
            raise _bad("sources must be a list of LogSourceResource.")

        def wanted(name: str, version: str) -> bool:
            if not filters:
                return True
            for f in filters:
                aws = f.get("awsLogSource")
                if isinstance(aws, dict) and aws.get("sourceName") == name \
                        and aws.get("sourceVersion") in (None, "latest", version):
                    return True
            return False

        entries = []
        for region, backend in sorted(self._account_backends().items()):
            if backend.data_lake is None or (regions and region not in regions):
                continue
            for account in sorted(backend.log_sources):
                if accounts and account not in accounts:
                    continue
                found = [{"awsLogSource": {"sourceName": name, "sourceVersion": version}}
                         for name, version in sorted(backend.log_sources[account].items()) if wanted(name, version)]
                if found:
                    entries.append({"account": account, "region": region, "sources": found})
        page, token = _page(entries, body.get("nextToken"), size, "BadRequestException")
        answer: dict[str, Any] = {"sources": page}
        if token:
            answer["nextToken"] = token
        return _ok(answer)


SecurityLakeResponse.__module__ = "moto.securitylake.responses"

url_bases = [URL_BASE]
url_paths = {
    "{0}/v1/datalake$": SecurityLakeResponse.dispatch,
    "{0}/v1/datalakes$": SecurityLakeResponse.dispatch,
    "{0}/v1/datalake/logsources/aws$": SecurityLakeResponse.dispatch,
    "{0}/v1/datalake/logsources/aws/delete$": SecurityLakeResponse.dispatch,
    "{0}/v1/datalake/logsources/list$": SecurityLakeResponse.dispatch,
}


def install() -> None:
    """Makes "securitylake" a moto service: its URL pattern in moto's backend index and the modules
    moto imports by name."""
    import moto
    from moto import backend_index

    package = types.ModuleType("moto.securitylake")
    package.__path__ = []  # a package, so "moto.securitylake.<x>" imports resolve from sys.modules
    models = types.ModuleType("moto.securitylake.models")
    urls = types.ModuleType("moto.securitylake.urls")
    responses = types.ModuleType("moto.securitylake.responses")
    models.SecurityLakeBackend = SecurityLakeBackend
    models.securitylake_backends = securitylake_backends
    urls.url_bases = url_bases
    urls.url_paths = url_paths
    responses.SecurityLakeResponse = SecurityLakeResponse
    package.securitylake_backends = securitylake_backends
    package.models, package.urls, package.responses = models, urls, responses
    for module in (package, models, urls, responses):
        sys.modules[module.__name__] = module
    moto.securitylake = package  # type: ignore[attr-defined]

    if not any(name == "securitylake" for name, _ in backend_index.backend_url_patterns):
        backend_index.backend_url_patterns.append(("securitylake", re.compile(URL_BASE)))
