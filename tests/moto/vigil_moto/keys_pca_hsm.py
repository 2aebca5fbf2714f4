"""Vigil's moto extension: AWS Private CA, ACM private certificates, CloudHSM v2.

Changed or added (shapes from botocore's ``acm-pca/2017-08-22``, ``acm/2015-12-08`` and
``cloudhsmv2/2017-04-28`` models):

  ACM PCA
    DescribeCertificateAuthority, ListCertificateAuthorities  UsageMode as created (default
                    GENERAL_PURPOSE; moto said SHORT_LIVED_CERTIFICATE), Status EXPIRED once an ACTIVE
                    CA's certificate has passed NotAfter, RestorableUntil while DELETED, no nulls
    IssueCertificate  honours Validity (END_DATE, ABSOLUTE, DAYS, MONTHS, YEARS), ValidityNotBefore
                    (default: issuance minus 60 minutes) and SigningAlgorithm (moto: always one
                    year, SHA512); the CA must be ACTIVE, or PENDING_CERTIFICATE self-signing a ROOT
                    with a RootCACertificate template (InvalidStateException); ValidationException for
                    an end in the past or beyond the CA certificate's NotAfter, or over 7 days for a
                    SHORT_LIVED_CERTIFICATE CA; MalformedCSRException
    ImportCertificateAuthorityCertificate  CertificateMismatchException unless the certificate
                    carries the CA's public key; InvalidStateException for DELETED/DISABLED/FAILED
    DeleteCertificateAuthority  InvalidStateException while ACTIVE; PermanentDeletionTimeInDays 7..30
    RestoreCertificateAuthority  DELETED back to DISABLED (PENDING_CERTIFICATE without certificate)
    POST /moto-api/vigil/acm-pca-validity  seeding only (AWS issues no certificate in the past):
                    gives a CA a self-signed certificate with the chosen NotBefore/NotAfter
  ACM
    RequestCertificate with CertificateAuthorityArn  the certificate is issued by that CA: signed by
                    its key, Issuer its CommonName, chain its certificate, 395 days; Status FAILED
                    with FailureReason PCA_RESOURCE_NOT_FOUND (no such CA), PCA_INVALID_STATE (CA not
                    ACTIVE) or PCA_INVALID_DURATION (CA expires before the certificate would);
                    RenewalEligibility ELIGIBLE for issued private certificates
  CloudHSM v2
    CreateCluster   subnets must exist in EC2, one per Availability Zone, one VPC
                    (CloudHsmInvalidRequestException); SubnetMapping is zone -> subnet (moto: region
                    -> last subnet), VpcId the subnets' VPC, SecurityGroup, ids as AWS forms them
                    (cluster-…), Mode FIPS by default (moto: DEFAULT, not in the enum),
                    BackupRetentionPolicy DAYS/90 by default (7..379); no backup is made (moto made
                    one at once; an empty cluster has nothing to back up)
    CreateHsm, DeleteHsm  added: an HSM in one of the cluster's zones, an address of that zone's
                    subnet (IpAddress honoured); deleted by HsmId, EniId or EniIp
    DescribeClusters  Filters clusterIds/vpcIds/states, MaxResults 1..25, NextToken
    DeleteCluster   CloudHsmInvalidRequestException while the cluster has HSMs
    DescribeBackups Filters backupIds/sourceBackupIds/clusterIds/states/neverExpires,
                    SortAscending (default newest first), MaxResults 1..50, NextToken; BackupArn in
                    the caller's account (moto: 123456789012)
    every timestamp is epoch seconds on the wire (moto sent ISO strings, which awsJson SDKs reject)
    POST /moto-api/vigil/cloudhsm-backups  seeding only: READY backups of a cluster with chosen
                    CreateTimestamps (CloudHSM takes backups itself; no API sets their time)
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import ipaddress
import itertools
import json
import random
import string
import time
from typing import Any

from ._common import BadRequest, _page, _parse_time, _state  # noqa: F401

ACM_PRIVATE_DAYS = 395
DEFAULT_ACCOUNT = "123456789012"


def _utc(value: Any) -> dt.datetime:
    """A timezone-aware UTC datetime from an epoch number, an ISO string or a datetime."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(float(value), dt.timezone.utc)
    text = str(value)
    try:
        return dt.datetime.fromtimestamp(float(text), dt.timezone.utc)
    except ValueError:
        return _parse_time(text)


def _epoch(value: Any) -> float:
    return _utc(value).timestamp()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _seed_response(status: int, body: dict[str, Any]) -> tuple[int, dict[str, str], str]:
    return status, {"Content-Type": "application/json"}, json.dumps(body)


def _seed_body(request: Any, headers: Any) -> dict[str, Any]:
    from moto.moto_api._internal.urls import response_instance

    body = response_instance._get_body(headers, request)
    if isinstance(body, (bytes, str)):
        body = json.loads(body or "{}")
    return body


# ============================================================================================
# AWS Private CA


def _ca_not_after(ca: Any) -> dt.datetime | None:
    cert = ca.certificate
    if cert is None:
        return None
    try:
        return cert.not_valid_after_utc
    except AttributeError:
        return cert.not_valid_after.replace(tzinfo=dt.timezone.utc)


def _ca_status(ca: Any) -> str:
    """ACTIVE turns EXPIRED when the CA certificate's NotAfter has passed."""
    not_after = _ca_not_after(ca)
    if ca.status == "ACTIVE" and not_after is not None and not_after <= _now():
        return "EXPIRED"
    return ca.status


def _pca_validity(validity: dict[str, Any], now: dt.datetime, field: str) -> dt.datetime:
    kind = validity.get("Type")
    value = validity.get("Value")
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise BadRequest("ValidationException", f"{field}.Value must be a positive integer.")
    if kind == "END_DATE":
        text = str(value)
        if len(text) == 12:
            year = int(text[:2])
            text = ("19" if year >= 50 else "20") + text
        if len(text) != 14:
            raise BadRequest("ValidationException", f"{field}.Value {value} is not a UTCTime (YYMMDDHHMMSS) or GeneralizedTime (YYYYMMDDHHMMSS).")
        try:
            return dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            raise BadRequest("ValidationException", f"{field}.Value {value} is not a valid date and time.")
    if kind == "ABSOLUTE":
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    if kind == "DAYS":
        return now + dt.timedelta(days=value)
    if kind in ("MONTHS", "YEARS"):
        months = value if kind == "MONTHS" else value * 12
        year, month = divmod(now.month - 1 + months, 12)
        year += now.year
        day = min(now.day, calendar.monthrange(year, month + 1)[1])
        return now.replace(year=year, month=month + 1, day=day)
    raise BadRequest("ValidationException", f"{field}.Type must be one of END_DATE, ABSOLUTE, DAYS, MONTHS, YEARS.")


def _sign_hash(algorithm: str | None) -> Any:
    from cryptography.hazmat.primitives import hashes

    table = {"SHA256WITHRSA": hashes.SHA256, "SHA384WITHRSA": hashes.SHA384, "SHA512WITHRSA": hashes.SHA512}
    if algorithm is None:
        return hashes.SHA256()
    if algorithm not in table:
        raise BadRequest("InvalidArgsException", f"The signing algorithm {algorithm} does not match the algorithm family of the CA's key (RSA).")
    return table[algorithm]()


def _install_pca() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from moto.acmpca.models import CertificateAuthority, acmpca_backends
    from moto.acmpca.responses import ACMPCAResponse
    from moto.moto_api._internal import mock_random
    from moto.moto_api._internal import urls as api_urls
    original_to_json = CertificateAuthority.to_json

    def to_json(self: CertificateAuthority) -> dict[str, Any]:
        body = {k: v for k, v in original_to_json(self).items() if v is not None}
        body["Status"] = _ca_status(self)
        body["UsageMode"] = getattr(self, "vigil_usage_mode", "GENERAL_PURPOSE")
        if self.certificate is not None:
            body["Serial"] = format(self.certificate.serial_number, "x")
        restorable = getattr(self, "vigil_restorable_until", None)
        if self.status == "DELETED" and restorable is not None:
            body["RestorableUntil"] = restorable
        return body

    CertificateAuthority.to_json = to_json  # type: ignore[method-assign]

    original_create = ACMPCAResponse.create_certificate_authority

    def create_certificate_authority(self: ACMPCAResponse) -> str:
        params = json.loads(self.body)
        mode = params.get("UsageMode") or "GENERAL_PURPOSE"
        if mode not in ("GENERAL_PURPOSE", "SHORT_LIVED_CERTIFICATE"):
            raise BadRequest("InvalidArgsException", f"UsageMode {mode} is not supported.")
        if params.get("CertificateAuthorityType") not in ("ROOT", "SUBORDINATE"):
            raise BadRequest("InvalidArgsException", "CertificateAuthorityType must be ROOT or SUBORDINATE.")
        answer = original_create(self)
        arn = json.loads(answer)["CertificateAuthorityArn"]
        self.acmpca_backend.certificate_authorities[arn].vigil_usage_mode = mode
        return answer

    def issue_certificate(self: ACMPCAResponse) -> str:
        params = json.loads(self.body)
        arn = params.get("CertificateAuthorityArn")
        ca = self.acmpca_backend.describe_certificate_authority(arn)
        template = params.get("TemplateArn")
        self_signing = ca.certificate_authority_type == "ROOT" and bool(template) and "/RootCACertificate" in template
        status = _ca_status(ca)
        if not (status == "ACTIVE" or (status == "PENDING_CERTIFICATE" and self_signing)):
            raise BadRequest("InvalidStateException", f"The certificate authority {arn} is in state {status} and cannot issue this certificate.")
        try:
            csr = x509.load_pem_x509_csr(base64.b64decode(params.get("Csr") or ""))
        except ValueError:
            raise BadRequest("MalformedCSRException", "The certificate signing request is invalid.")
        now = _now()
        if "Validity" not in params:
            raise BadRequest("ValidationException", "Validity is required.")
        not_after = _pca_validity(params["Validity"], now, "Validity")
        not_before = now - dt.timedelta(minutes=60)
        if params.get("ValidityNotBefore"):
            not_before = _pca_validity(params["ValidityNotBefore"], now, "ValidityNotBefore")
        if not_after <= now:
            raise BadRequest("ValidationException", "The certificate validity end date must be in the future.")
        if not_before >= not_after:
            raise BadRequest("ValidationException", "ValidityNotBefore must be before the end of the validity period.")
        ca_not_after = _ca_not_after(ca)
        if not self_signing and ca_not_after is not None and not_after > ca_not_after:
            raise BadRequest("ValidationException", "The certificate validity specified exceeds the certificate authority validity.")
        if getattr(ca, "vigil_usage_mode", "GENERAL_PURPOSE") == "SHORT_LIVED_CERTIFICATE" and not_after - now > dt.timedelta(days=7):
            raise BadRequest("ValidationException", "A SHORT_LIVED_CERTIFICATE CA issues certificates valid for at most 7 days.")
        digest = _sign_hash(params.get("SigningAlgorithm"))
        issuer = ca.issuer if self_signing or ca.certificate is None else ca.certificate.subject
        builder = (
            x509.CertificateBuilder()
            .subject_name(csr.subject)
            .issuer_name(issuer)
            .public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
        )
        for extension, critical in ca._x509_extensions(csr, template):
            builder = builder.add_extension(extension, critical)
        pem = builder.sign(ca.key, digest).public_bytes(serialization.Encoding.PEM)
        cert_id = str(mock_random.uuid4()).replace("-", "")
        cert_arn = f"{ca.arn}/certificate/{cert_id}"
        ca.issued_certificates[cert_arn] = pem
        if not self_signing:
            ca.issued_certificates_certificate_chains[cert_arn] = ca.certificate_bytes
        return json.dumps({"CertificateArn": cert_arn})

    original_import = ACMPCAResponse.import_certificate_authority_certificate

    def import_certificate_authority_certificate(self: ACMPCAResponse) -> str:
        params = json.loads(self.body)
        arn = params.get("CertificateAuthorityArn")
        ca = self.acmpca_backend.describe_certificate_authority(arn)
        if ca.status in ("DELETED", "DISABLED", "FAILED", "CREATING"):
            raise BadRequest("InvalidStateException", f"The certificate authority {arn} is in state {ca.status}.")
        try:
            cert = x509.load_pem_x509_certificate(base64.b64decode(params.get("Certificate") or ""))
        except ValueError:
            raise BadRequest("MalformedCertificateException", "The certificate is not a PEM-encoded X.509 certificate.")
        mine = ca.key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        theirs = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        if mine != theirs:
            raise BadRequest("CertificateMismatchException", "The certificate does not match the certificate authority's key.")
        return original_import(self)

    def delete_certificate_authority(self: ACMPCAResponse) -> str:
        params = json.loads(self.body)
        arn = params.get("CertificateAuthorityArn")
        ca = self.acmpca_backend.describe_certificate_authority(arn)
        days = params.get("PermanentDeletionTimeInDays", 30)
        if not isinstance(days, int) or not 7 <= days <= 30:
            raise BadRequest("ValidationException", "PermanentDeletionTimeInDays must be between 7 and 30.")
        if _ca_status(ca) == "ACTIVE":
            raise BadRequest("InvalidStateException", f"The certificate authority {arn} is ACTIVE: disable it before deleting it.")
        if ca.status == "DELETED":
            raise BadRequest("InvalidStateException", f"The certificate authority {arn} is already deleted.")
        ca.vigil_state_before_delete = ca.status
        ca.status = "DELETED"
        ca.updated_at = time.time()
        ca.vigil_restorable_until = time.time() + days * 86400
        return "{}"

    def restore_certificate_authority(self: ACMPCAResponse) -> str:
        params = json.loads(self.body)
        arn = params.get("CertificateAuthorityArn")
        ca = self.acmpca_backend.describe_certificate_authority(arn)
        if ca.status != "DELETED":
            raise BadRequest("InvalidStateException", f"The certificate authority {arn} is not DELETED.")
        ca.status = "DISABLED" if ca.certificate is not None else "PENDING_CERTIFICATE"
        ca.updated_at = time.time()
        ca.vigil_restorable_until = None
        return "{}"

    def seed_validity(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        """Test seeding only: POST {account?, region?, certificate_authority_arn, not_before, not_after}
        (times ISO 8601 or epoch seconds). The CA gets a self-signed certificate with that validity;
        a PENDING_CERTIFICATE CA becomes ACTIVE (EXPIRED when not_after is past)."""
        if request.method != "POST":
            return _seed_response(405, {"Error": "POST only"})
        body = _seed_body(request, headers)
        arn = body.get("certificate_authority_arn") or ""
        parts = arn.split(":")
        if len(parts) < 6 or parts[2] != "acm-pca":
            return _seed_response(400, {"Error": "certificate_authority_arn must be an acm-pca CA ARN"})
        account = body.get("account") or parts[4]
        region = body.get("region") or parts[3]
        ca = acmpca_backends[account][region].certificate_authorities.get(arn)
        if ca is None:
            return _seed_response(400, {"Error": f"no certificate authority {arn} in {account}/{region}"})
        try:
            not_before = _utc(body["not_before"]).replace(microsecond=0)
            not_after = _utc(body["not_after"]).replace(microsecond=0)
        except (KeyError, ValueError) as err:
            return _seed_response(400, {"Error": f"not_before and not_after are required, ISO 8601 or epoch seconds: {err}"})
        if not_before >= not_after:
            return _seed_response(400, {"Error": "not_before must be before not_after"})
        cert = (
            x509.CertificateBuilder()
            .subject_name(ca.issuer)
            .issuer_name(ca.issuer)
            .public_key(ca.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(ca.key, _sign_hash(None))
        )
        ca.certificate_bytes = cert.public_bytes(serialization.Encoding.PEM)
        if ca.status in ("PENDING_CERTIFICATE", "CREATING", "EXPIRED"):
            ca.status = "ACTIVE"
        ca.updated_at = time.time()
        return _seed_response(200, {"CertificateAuthorityArn": arn, "Status": _ca_status(ca),
                                    "NotBefore": not_before.timestamp(), "NotAfter": not_after.timestamp()})

    original_list = ACMPCAResponse.list_certificate_authorities

    def list_certificate_authorities(self: ACMPCAResponse) -> str:
        body = json.loads(original_list(self))
        if body.get("NextToken") is None:
            body.pop("NextToken", None)
        return json.dumps(body)

    ACMPCAResponse.list_certificate_authorities = list_certificate_authorities  # type: ignore[method-assign]
    ACMPCAResponse.create_certificate_authority = create_certificate_authority  # type: ignore[method-assign]
    ACMPCAResponse.issue_certificate = issue_certificate  # type: ignore[method-assign]
    ACMPCAResponse.import_certificate_authority_certificate = import_certificate_authority_certificate  # type: ignore[method-assign]
    ACMPCAResponse.delete_certificate_authority = delete_certificate_authority  # type: ignore[method-assign]
    ACMPCAResponse.restore_certificate_authority = restore_certificate_authority  # type: ignore[attr-defined]
    api_urls.url_paths["{0}/moto-api/vigil/acm-pca-validity"] = seed_validity


# ============================================================================================
# ACM private certificates


def _install_acm_private() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from moto.acm.models import CertBundle
    from moto.acm.utils import make_arn_for_certificate
    from moto.acmpca.models import acmpca_backends

    original_generate = CertBundle.generate_cert.__func__  # type: ignore[attr-defined]

    def failed(cls: type, domain_name: str, account_id: str, region: str, sans: list[str] | None, ca_arn: str, reason: str) -> Any:
        bundle = original_generate(cls, domain_name, account_id, region, sans, ca_arn)
        bundle.status = "FAILED"
        bundle.vigil_failure_reason = reason
        return bundle

    def generate_cert(cls: type, domain_name: str, account_id: str, region: str, sans: list[str] | None = None,
                      cert_authority_arn: str | None = None) -> Any:
        if cert_authority_arn is None:
            return original_generate(cls, domain_name, account_id, region, sans, None)
        parts = cert_authority_arn.split(":")
        if len(parts) < 6 or parts[2] != "acm-pca" or not parts[5].startswith("certificate-authority/"):
            return failed(cls, domain_name, account_id, region, sans, cert_authority_arn, "PCA_INVALID_ARN")
        ca = acmpca_backends[parts[4]][parts[3]].certificate_authorities.get(cert_authority_arn)
        if ca is None:
            return failed(cls, domain_name, account_id, region, sans, cert_authority_arn, "PCA_RESOURCE_NOT_FOUND")
        if _ca_status(ca) != "ACTIVE" or ca.certificate is None:
            return failed(cls, domain_name, account_id, region, sans, cert_authority_arn, "PCA_INVALID_STATE")
        now = _now()
        not_after = now + dt.timedelta(days=ACM_PRIVATE_DAYS)
        if _ca_not_after(ca) < not_after:
            return failed(cls, domain_name, account_id, region, sans, cert_authority_arn, "PCA_INVALID_DURATION")
        names = list(dict.fromkeys([domain_name] + list(sans or [])))
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain_name)]))
            .issuer_name(ca.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=60))
            .not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca.key, hashes.SHA256())
        )
        private_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
        bundle = cls(
            account_id=account_id,
            certificate=cert.public_bytes(serialization.Encoding.PEM),
            private_key=private_key,
            region=region,
            arn=make_arn_for_certificate(account_id, region),
            cert_type="PRIVATE",
            cert_status="ISSUED",
            cert_authority_arn=cert_authority_arn,
        )
        chain = ca.certificate_bytes.strip() + b"\n"
        if ca.certificate_chain:
            extra = ca.certificate_chain
            if isinstance(extra, str):
                extra = extra.encode()
            chain += extra.strip() + b"\n"
        bundle.chain = chain
        return bundle

    CertBundle.generate_cert = classmethod(generate_cert)  # type: ignore[method-assign,assignment]

    original_describe = CertBundle.describe

    def describe(self: CertBundle) -> dict[str, Any]:
        result = original_describe(self)
        detail = result["Certificate"]
        reason = getattr(self, "vigil_failure_reason", None)
        if reason:
            detail["Status"] = "FAILED"
            detail["FailureReason"] = reason
            for field in ("NotBefore", "NotAfter", "Serial", "IssuedAt", "SignatureAlgorithm", "Issuer"):
                detail.pop(field, None)
        elif self.type == "PRIVATE":
            detail["RenewalEligibility"] = "ELIGIBLE"
        return result

    CertBundle.describe = describe  # type: ignore[method-assign]

    original_check = CertBundle.check

    def check(self: CertBundle) -> None:
        if getattr(self, "vigil_failure_reason", None):
            self.status = "FAILED"
            return
        original_check(self)

    CertBundle.check = check  # type: ignore[method-assign]


# ============================================================================================
# CloudHSM v2


def _hsm_id(prefix: str) -> str:
    alphabet = string.ascii_lowercase + "234567"
    return prefix + "".join(random.choice(alphabet) for _ in range(11))


def _hex_id(prefix: str, length: int = 17) -> str:
    return prefix + "".join(random.choice("0123456789abcdef") for _ in range(length))


def _install_cloudhsm() -> None:
    from moto.cloudhsmv2.models import Backup, Cluster, cloudhsmv2_backends
    from moto.cloudhsmv2.responses import CloudHSMV2Response
    from moto.ec2.models import ec2_backends
    from moto.moto_api._internal import urls as api_urls
    from moto.utilities.utils import get_partition

    def invalid(message: str) -> BadRequest:
        return BadRequest("CloudHsmInvalidRequestException", message)

    def not_found(message: str) -> BadRequest:
        return BadRequest("CloudHsmResourceNotFoundException", message)

    def cluster_json(cluster: Cluster) -> dict[str, Any]:
        body: dict[str, Any] = {
            "BackupPolicy": cluster.backup_policy,
            "BackupRetentionPolicy": cluster.backup_retention_policy,
            "ClusterId": cluster.cluster_id,
            "CreateTimestamp": _epoch(cluster.create_timestamp),
            "Hsms": [dict(h) for h in cluster.hsms],
            "HsmType": cluster.hsm_type,
            "SecurityGroup": getattr(cluster, "vigil_security_group", None),
            "SourceBackupId": cluster.source_backup_id,
            "State": cluster.state,
            "StateMessage": cluster.state_message,
            "SubnetMapping": cluster.subnet_mapping,
            "VpcId": cluster.vpc_id,
            "NetworkType": cluster.network_type,
            "Certificates": {k: v for k, v in cluster.certificates.items() if v},
            "TagList": cluster.tag_list,
            "Mode": cluster.mode,
        }
        return {k: v for k, v in body.items() if v is not None}

    def backup_json(backup: Backup) -> dict[str, Any]:
        body: dict[str, Any] = {
            "BackupId": backup.backup_id,
            "BackupArn": backup.backup_arn,
            "BackupState": backup.backup_state,
            "ClusterId": backup.cluster_id,
            "CreateTimestamp": _epoch(backup.create_timestamp),
            "NeverExpires": backup.never_expires,
            "HsmType": backup.hsm_type,
            "Mode": backup.mode,
        }
        if backup.tag_list:
            body["TagList"] = backup.tag_list
        for field, attr in (("CopyTimestamp", "copy_timestamp"), ("DeleteTimestamp", "delete_timestamp")):
            if getattr(backup, attr, None):
                body[field] = _epoch(getattr(backup, attr))
        for field, attr in (("SourceRegion", "source_region"), ("SourceBackup", "source_backup"), ("SourceCluster", "source_cluster")):
            if getattr(backup, attr, None):
                body[field] = getattr(backup, attr)
        return body

    def make_backup(backend: Any, cluster: Cluster, created: dt.datetime, never_expires: bool = False) -> Backup:
        backup = Backup(cluster_id=cluster.cluster_id, hsm_type=cluster.hsm_type, mode=cluster.mode,
                        tag_list=None, never_expires=never_expires, region_name=backend.region_name)
        backup.backup_id = _hsm_id("backup-")
        backup.backup_arn = f"arn:{get_partition(backend.region_name)}:cloudhsm:{backend.region_name}:{backend.account_id}:backup/{backup.backup_id}"
        backup.create_timestamp = created
        backend.backups[backup.backup_id] = backup
        return backup

    def cluster_of(self: CloudHSMV2Response, cluster_id: str | None) -> Cluster:
        cluster = self.cloudhsmv2_backend.clusters.get(cluster_id or "")
        if cluster is None:
            raise not_found(f"Cluster {cluster_id} not found.")
        return cluster

    def max_results(params: dict[str, Any], high: int) -> int:
        value = params.get("MaxResults", high)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high:
            raise invalid(f"MaxResults must be between 1 and {high}.")
        return value

    def paged(items: list[Any], params: dict[str, Any], high: int) -> tuple[list[Any], str | None]:
        return _page(items, params.get("NextToken"), max_results(params, high), "CloudHsmInvalidRequestException")

    def create_cluster(self: CloudHSMV2Response) -> str:
        params = json.loads(self.body or "{}")
        hsm_type = params.get("HsmType")
        if hsm_type not in ("hsm1.medium", "hsm2m.medium"):
            raise invalid(f"HsmType {hsm_type} is not valid. The allowed values are hsm1.medium and hsm2m.medium.")
        mode = params.get("Mode") or "FIPS"
        if mode not in ("FIPS", "NON_FIPS"):
            raise invalid(f"Mode {mode} is not valid. The allowed values are FIPS and NON_FIPS.")
        subnet_ids = params.get("SubnetIds") or []
        if not 1 <= len(subnet_ids) <= 10:
            raise invalid("Specify between 1 and 10 subnets.")
        ec2 = ec2_backends[self.current_account][self.region]
        mapping: dict[str, str] = {}
        vpcs = set()
        for subnet_id in subnet_ids:
            try:
                subnet = ec2.get_subnet(subnet_id)
            except Exception:  # noqa: BLE001 - moto's InvalidSubnetIdError
                raise invalid(f"The subnet {subnet_id} does not exist.")
            if subnet.availability_zone in mapping:
                raise invalid(f"You can specify only one subnet per Availability Zone; {subnet.availability_zone} has {mapping[subnet.availability_zone]} and {subnet_id}.")
            mapping[subnet.availability_zone] = subnet_id
            vpcs.add(subnet.vpc_id)
        if len(vpcs) != 1:
            raise invalid("All subnets must be in the same VPC.")
        retention = params.get("BackupRetentionPolicy") or {"Type": "DAYS", "Value": "90"}
        value = str(retention.get("Value", ""))
        if retention.get("Type") != "DAYS" or not value.isdigit() or not 7 <= int(value) <= 379:
            raise invalid("BackupRetentionPolicy must be Type DAYS with a Value between 7 and 379.")
        source = params.get("SourceBackupId")
        if source:
            source = source.rsplit("/", 1)[-1]
            if source not in self.cloudhsmv2_backend.backups:
                raise not_found(f"Backup {source} not found.")
        cluster = Cluster(backup_retention_policy={"Type": "DAYS", "Value": value}, hsm_type=hsm_type,
                          source_backup_id=source, subnet_ids=subnet_ids, network_type=params.get("NetworkType") or "IPV4",
                          tag_list=params.get("TagList"), mode=mode, region_name=self.region)
        cluster.cluster_id = _hsm_id("cluster-")
        cluster.subnet_mapping = mapping
        cluster.vpc_id = vpcs.pop()
        cluster.vigil_security_group = _hex_id("sg-")
        self.cloudhsmv2_backend.clusters[cluster.cluster_id] = cluster
        if params.get("TagList"):
            self.cloudhsmv2_backend.tag_resource(cluster.cluster_id, params["TagList"])
        return json.dumps({"Cluster": cluster_json(cluster)})

    def delete_cluster(self: CloudHSMV2Response) -> str:
        params = json.loads(self.body or "{}")
        cluster = cluster_of(self, params.get("ClusterId"))
        if cluster.hsms:
            raise invalid(f"Cluster {cluster.cluster_id} has HSMs. Delete all HSMs before deleting the cluster.")
        del self.cloudhsmv2_backend.clusters[cluster.cluster_id]
        cluster.state = "DELETE_IN_PROGRESS"
        cluster.state_message = "The cluster is being deleted."
        return json.dumps({"Cluster": cluster_json(cluster)})

    def describe_clusters(self: CloudHSMV2Response) -> str:
        params = json.loads(self.body or "{}")
        clusters = sorted(self.cloudhsmv2_backend.clusters.values(), key=lambda c: _epoch(c.create_timestamp))
        for key, values in (params.get("Filters") or {}).items():
            if key == "clusterIds":
                clusters = [c for c in clusters if c.cluster_id in values]
            elif key == "vpcIds":
                clusters = [c for c in clusters if c.vpc_id in values]
            elif key == "states":
                clusters = [c for c in clusters if c.state in values]
            else:
                raise invalid(f"Filter {key} is not valid. Use clusterIds, vpcIds or states.")
        page, token = paged([cluster_json(c) for c in clusters], params, 25)
        body: dict[str, Any] = {"Clusters": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def create_hsm(self: CloudHSMV2Response) -> str:
        params = json.loads(self.body or "{}")
        cluster = cluster_of(self, params.get("ClusterId"))
        zone = params.get("AvailabilityZone")
        if zone not in cluster.subnet_mapping:
            raise invalid(f"The cluster {cluster.cluster_id} has no subnet in Availability Zone {zone}.")
        subnet_id = cluster.subnet_mapping[zone]
        subnet = ec2_backends[self.current_account][self.region].get_subnet(subnet_id)
        network = ipaddress.ip_network(subnet.cidr_block, strict=False)
        used = {h["EniIp"] for h in cluster.hsms}
        address = params.get("IpAddress")
        if address:
            if ipaddress.ip_address(address) not in network:
                raise invalid(f"The IP address {address} is not in subnet {subnet_id} ({subnet.cidr_block}).")
            if address in used:
                raise invalid(f"The IP address {address} is already in use.")
        else:
            hosts = itertools.islice(network.hosts(), 3, None)  # AWS reserves the first four addresses of a subnet
            address = next(str(ip) for ip in hosts if str(ip) not in used)
        hsm = {
            "AvailabilityZone": zone,
            "ClusterId": cluster.cluster_id,
            "SubnetId": subnet_id,
            "EniId": _hex_id("eni-"),
            "EniIp": address,
            "HsmId": _hsm_id("hsm-"),
            "HsmType": cluster.hsm_type,
            "State": "ACTIVE",
            "StateMessage": "HSM created.",
        }
        cluster.hsms.append(hsm)
        return json.dumps({"Hsm": dict(hsm, State="CREATE_IN_PROGRESS", StateMessage="HSM is being created.")})

    def delete_hsm(self: CloudHSMV2Response) -> str:
        params = json.loads(self.body or "{}")
        cluster = cluster_of(self, params.get("ClusterId"))
        given = [(field, params[field]) for field in ("HsmId", "EniId", "EniIp") if params.get(field)]
        if len(given) != 1:
            raise invalid("Specify exactly one of HsmId, EniId or EniIp.")
        field, value = given[0]
        for hsm in cluster.hsms:
            if hsm[field] == value:
                cluster.hsms.remove(hsm)
                return json.dumps({"HsmId": hsm["HsmId"]})
        raise not_found(f"HSM with {field} {value} not found in cluster {cluster.cluster_id}.")

    def describe_backups(self: CloudHSMV2Response) -> str:
        params = json.loads(self.body or "{}")
        backups = list(self.cloudhsmv2_backend.backups.values())
        for key, values in (params.get("Filters") or {}).items():
            if key == "backupIds":
                backups = [b for b in backups if b.backup_id in values or b.backup_arn in values]
            elif key == "sourceBackupIds":
                backups = [b for b in backups if b.source_backup in values]
            elif key == "clusterIds":
                backups = [b for b in backups if b.cluster_id in values]
            elif key == "states":
                backups = [b for b in backups if b.backup_state in values]
            elif key == "neverExpires":
                wanted = str(values[0]).lower() == "true" if values else True
                backups = [b for b in backups if bool(b.never_expires) == wanted]
            else:
                raise invalid(f"Filter {key} is not valid.")
        backups.sort(key=lambda b: _epoch(b.create_timestamp), reverse=not params.get("SortAscending", False))
        page, token = paged([backup_json(b) for b in backups], params, 50)
        body: dict[str, Any] = {"Backups": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def seed_backups(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        """Test seeding only: POST {account?, region, cluster_id, created: [ISO 8601 or epoch, ...],
        never_expires?: bool}. Adds one READY backup of the cluster per timestamp."""
        if request.method != "POST":
            return _seed_response(405, {"Error": "POST only"})
        body = _seed_body(request, headers)
        account = body.get("account") or DEFAULT_ACCOUNT
        region = body.get("region")
        if not region:
            return _seed_response(400, {"Error": "region is required"})
        backend = cloudhsmv2_backends[account][region]
        cluster = backend.clusters.get(body.get("cluster_id") or "")
        if cluster is None:
            return _seed_response(400, {"Error": f"no cluster {body.get('cluster_id')} in {account}/{region}"})
        created = body.get("created")
        if not isinstance(created, list) or not created:
            return _seed_response(400, {"Error": "created must be a non-empty list of ISO 8601 times or epoch seconds"})
        try:
            times = [_utc(c) for c in created]
        except ValueError as err:
            return _seed_response(400, {"Error": f"bad time in created: {err}"})
        made = [make_backup(backend, cluster, t, bool(body.get("never_expires", False))) for t in times]
        return _seed_response(200, {"BackupIds": [b.backup_id for b in made]})

    for method in (create_cluster, delete_cluster, describe_clusters, create_hsm, delete_hsm, describe_backups):
        setattr(CloudHSMV2Response, method.__name__, method)
    api_urls.url_paths["{0}/moto-api/vigil/cloudhsm-backups"] = seed_backups


def install() -> None:
    _install_pca()
    _install_acm_private()
    _install_cloudhsm()
