"""KMS, Secrets Manager's KMS key, AWS Private CA, ACM private certificates and CloudHSM v2 as the
extension serves them (tests/moto/vigil_moto/kms.py and keys_pca_hsm.py), through boto3, whose
parsers check every response against botocore's service model. Runs against the server of
VIGIL_MOTO_ENDPOINT and resets it before each test."""

import datetime as dt
import json
import os
import time
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import NameOID

ENDPOINT = os.environ.get("VIGIL_MOTO_ENDPOINT", "")
ACCOUNT = "123456789012"
pytestmark = pytest.mark.skipif(not ENDPOINT, reason="needs the moto server from tests/run")


@pytest.fixture(autouse=True)
def reset():
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()


def client(service, region="us-east-1", validate=True):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(parameter_validation=validate, retries={"max_attempts": 1}))


def code(call, *args, **kwargs):
    with pytest.raises(ClientError) as err:
        call(*args, **kwargs)
    return err.value.response["Error"]["Code"]


def seed(path, body):
    request = urllib.request.Request(f"{ENDPOINT}/moto-api/vigil/{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    return json.loads(urllib.request.urlopen(request).read())


def raw_bodies(boto_client):
    """The JSON bodies as they came over the wire, to check types botocore would coerce."""
    seen = []
    boto_client.meta.events.register("after-call.*.*", lambda http_response, **_: seen.append(json.loads(http_response.content or b"{}")))
    return seen


def now():
    return dt.datetime.now(dt.timezone.utc)


# ---------------------------------------------------------------------------------------------
# KMS


def test_kms_rotation_status_period_and_on_demand():
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] is False and status["KeyId"] == key
    assert "RotationPeriodInDays" not in status and "NextRotationDate" not in status

    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=180)
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 180
    assert abs((status["NextRotationDate"] - now()).total_seconds() - 180 * 86400) < 120
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=2560)
    assert kms.get_key_rotation_status(KeyId=key)["RotationPeriodInDays"] == 2560

    # botocore checks only the minimum; the server checks both ends, as AWS does.
    assert code(kms.enable_key_rotation, KeyId=key, RotationPeriodInDays=2561) == "ValidationException"
    unchecked = client("kms", validate=False)
    with pytest.raises(ClientError) as err:
        unchecked.enable_key_rotation(KeyId=key, RotationPeriodInDays=89)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "greater than or equal to 90" in err.value.response["Error"]["Message"]

    kms.disable_key_rotation(KeyId=key)
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] is False and "RotationPeriodInDays" not in status

    assert kms.rotate_key_on_demand(KeyId=key)["KeyId"] == key
    started = kms.get_key_rotation_status(KeyId=key)["OnDemandRotationStartDate"]
    assert abs((started - now()).total_seconds()) < 60
    assert code(kms.rotate_key_on_demand, KeyId=key) == "ConflictException"
    assert kms.list_key_rotations(KeyId=key)["Rotations"] == []  # still in progress

    signing = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    assert code(kms.enable_key_rotation, KeyId=signing) == "UnsupportedOperationException"
    assert kms.get_key_rotation_status(KeyId=signing)["KeyRotationEnabled"] is False
    kms.disable_key(KeyId=key)
    assert code(kms.enable_key_rotation, KeyId=key) == "DisabledException"


def test_kms_aws_managed_keys_exist_say_aws_and_refuse_changes():
    kms = client("kms")
    before = kms.list_aliases()["Aliases"]
    predefined = [a for a in before if a["AliasName"].startswith("alias/aws/")]
    assert predefined and all("TargetKeyId" not in a for a in predefined)  # no key created yet
    assert kms.list_keys()["Keys"] == []

    s3 = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]  # first use creates the key
    assert s3["KeyManager"] == "AWS" and s3["KeyState"] == "Enabled" and s3["Origin"] == "AWS_KMS"
    assert "DeletionDate" not in s3
    aliases = {a["AliasName"]: a for a in kms.list_aliases()["Aliases"]}
    assert aliases["alias/aws/s3"]["TargetKeyId"] == s3["KeyId"]
    assert [k["KeyId"] for k in kms.list_keys()["Keys"]] == [s3["KeyId"]]
    for alias in aliases.values():
        if "TargetKeyId" in alias:
            assert kms.describe_key(KeyId=alias["TargetKeyId"])["KeyMetadata"]["KeyId"] == alias["TargetKeyId"]
    assert kms.list_aliases(KeyId=s3["KeyId"])["Aliases"][0]["AliasName"] == "alias/aws/s3"

    status = kms.get_key_rotation_status(KeyId=s3["KeyId"])
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 365
    for call, kwargs in ((kms.enable_key_rotation, {"RotationPeriodInDays": 90}), (kms.disable_key_rotation, {}),
                         (kms.schedule_key_deletion, {"PendingWindowInDays": 7}), (kms.disable_key, {}),
                         (kms.rotate_key_on_demand, {})):
        assert code(call, KeyId=s3["KeyId"], **kwargs) == "AccessDeniedException"
    assert kms.describe_key(KeyId=s3["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"

    customer = kms.create_key()["KeyMetadata"]
    assert customer["KeyManager"] == "CUSTOMER"


def test_kms_schedule_cancel_deletion_leaves_disabled_then_enable():
    kms = client("kms")
    key = kms.create_key(Description="orders")["KeyMetadata"]
    assert code(kms.schedule_key_deletion, KeyId=key["KeyId"], PendingWindowInDays=31) == "ValidationException"
    assert code(client("kms", validate=False).schedule_key_deletion, KeyId=key["KeyId"], PendingWindowInDays=6) == "ValidationException"

    scheduled = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert scheduled["KeyId"] == key["Arn"] and scheduled["KeyState"] == "PendingDeletion"
    assert scheduled["PendingWindowInDays"] == 7
    pending = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert pending["KeyState"] == "PendingDeletion" and pending["Enabled"] is False
    assert abs((pending["DeletionDate"] - now()).total_seconds() - 7 * 86400) < 120
    assert code(kms.enable_key, KeyId=key["KeyId"]) == "KMSInvalidStateException"
    assert code(kms.schedule_key_deletion, KeyId=key["KeyId"]) == "KMSInvalidStateException"

    assert kms.cancel_key_deletion(KeyId=key["KeyId"])["KeyId"] == key["Arn"]
    back = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert back["KeyState"] == "Disabled" and back["Enabled"] is False and "DeletionDate" not in back
    assert code(kms.cancel_key_deletion, KeyId=key["KeyId"]) == "KMSInvalidStateException"

    kms.enable_key(KeyId=key["KeyId"])
    enabled = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert enabled["KeyState"] == "Enabled" and enabled["Enabled"] is True


def test_kms_imported_material_valid_to_and_multi_region():
    kms = client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert key["KeyState"] == "PendingImport" and key["Origin"] == "EXTERNAL" and "ValidTo" not in key
    params = kms.get_parameters_for_import(KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048")
    assert params["KeyId"] == key["Arn"]
    public = serialization.load_der_public_key(params["PublicKey"])
    wrapped = public.encrypt(os.urandom(32), padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
    valid_to = (now() + dt.timedelta(days=30)).replace(microsecond=0)
    assert code(kms.import_key_material, KeyId=key["KeyId"], ImportToken=b"not-ours", EncryptedKeyMaterial=wrapped,
                ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=valid_to) == "InvalidImportTokenException"
    kms.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped,
                            ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=valid_to)
    imported = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert imported["KeyState"] == "Enabled" and imported["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert imported["ValidTo"] == valid_to
    assert code(kms.enable_key_rotation, KeyId=key["KeyId"]) == "UnsupportedOperationException"

    primary = kms.create_key(MultiRegion=True)["KeyMetadata"]
    replica = kms.replicate_key(KeyId=primary["Arn"], ReplicaRegion="eu-west-1")["ReplicaKeyMetadata"]
    seen = client("kms", "eu-west-1").describe_key(KeyId=replica["KeyId"])["KeyMetadata"]
    assert seen["MultiRegion"] is True and seen["MultiRegionConfiguration"]["MultiRegionKeyType"] == "REPLICA"
    assert seen["MultiRegionConfiguration"]["PrimaryKey"] == {"Arn": primary["Arn"], "Region": "us-east-1"}
    assert {"Arn": seen["Arn"], "Region": "eu-west-1"} in seen["MultiRegionConfiguration"]["ReplicaKeys"]
    again = kms.describe_key(KeyId=primary["KeyId"])["KeyMetadata"]["MultiRegionConfiguration"]
    assert again["MultiRegionKeyType"] == "PRIMARY" and len(again["ReplicaKeys"]) == 1


def test_secrets_manager_kms_key_id_default_and_explicit():
    kms = client("kms")
    sm = client("secretsmanager")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    given = {
        "default": None,
        "by-id": key["KeyId"],
        "by-arn": key["Arn"],
        "by-alias": "alias/app",
        "by-default-alias": "alias/aws/secretsmanager",
    }
    for name, kms_key in given.items():
        kwargs = {"KmsKeyId": kms_key} if kms_key else {}
        sm.create_secret(Name=name, SecretString="s3cr3t", **kwargs)

    described = {name: sm.describe_secret(SecretId=name).get("KmsKeyId") for name in given}
    assert described == {"default": None, "by-id": key["KeyId"], "by-arn": key["Arn"], "by-alias": "alias/app", "by-default-alias": None}
    listed = {s["Name"]: s.get("KmsKeyId") for s in sm.list_secrets()["SecretList"]}
    assert listed == {"default": None, "by-id": key["Arn"], "by-arn": key["Arn"], "by-alias": key["Arn"], "by-default-alias": None}

    # Storing a value under the default key created the AWS managed aws/secretsmanager key.
    managed = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]
    assert managed["KeyManager"] == "AWS"
    assert {k["KeyId"] for k in kms.list_keys()["Keys"]} == {key["KeyId"], managed["KeyId"]}

    sm.update_secret(SecretId="by-id", KmsKeyId="")  # back to aws/secretsmanager
    assert "KmsKeyId" not in sm.describe_secret(SecretId="by-id")


# ---------------------------------------------------------------------------------------------
# AWS Private CA and ACM private certificates


def root_ca(pca, common_name, validity):
    arn = pca.create_certificate_authority(
        CertificateAuthorityType="ROOT",
        CertificateAuthorityConfiguration={"KeyAlgorithm": "RSA_2048", "SigningAlgorithm": "SHA256WITHRSA",
                                           "Subject": {"CommonName": common_name, "Organization": "Example"}},
    )["CertificateAuthorityArn"]
    assert pca.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]["Status"] == "PENDING_CERTIFICATE"
    csr = pca.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    cert_arn = pca.issue_certificate(CertificateAuthorityArn=arn, Csr=csr, SigningAlgorithm="SHA256WITHRSA",
                                     TemplateArn="arn:aws:acm-pca:::template/RootCACertificate/V1", Validity=validity)["CertificateArn"]
    cert = pca.get_certificate(CertificateAuthorityArn=arn, CertificateArn=cert_arn)["Certificate"]
    pca.import_certificate_authority_certificate(CertificateAuthorityArn=arn, Certificate=cert.encode())
    return arn


def test_private_ca_not_after_and_acm_private_certificate():
    pca = client("acm-pca")
    end = dt.datetime(2035, 6, 30, 12, 0, 0, tzinfo=dt.timezone.utc)
    arn = root_ca(pca, "Vigil Root", {"Type": "END_DATE", "Value": int(end.strftime("%Y%m%d%H%M%S"))})
    ca = pca.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    assert ca["Status"] == "ACTIVE" and ca["Type"] == "ROOT" and ca["UsageMode"] == "GENERAL_PURPOSE"
    assert ca["NotAfter"] == end and ca["NotBefore"] < now()
    assert ca["CertificateAuthorityConfiguration"]["Subject"]["CommonName"] == "Vigil Root"

    acm = client("acm")
    cert_arn = acm.request_certificate(DomainName="app.internal.example", CertificateAuthorityArn=arn)["CertificateArn"]
    cert = acm.describe_certificate(CertificateArn=cert_arn)["Certificate"]
    assert cert["Type"] == "PRIVATE" and cert["Status"] == "ISSUED"
    assert cert["CertificateAuthorityArn"] == arn and cert["Issuer"] == "Vigil Root"
    assert abs((cert["NotAfter"] - now()).days - 395) <= 1
    pem = acm.get_certificate(CertificateArn=cert_arn)
    issued = x509.load_pem_x509_certificate(pem["Certificate"].encode())
    assert issued.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Vigil Root"

    # A CA that expires in 30 days: ACTIVE, and too short-lived for a 395-day ACM certificate.
    short = root_ca(pca, "Short Root", {"Type": "DAYS", "Value": 30})
    described = pca.describe_certificate_authority(CertificateAuthorityArn=short)["CertificateAuthority"]
    assert described["Status"] == "ACTIVE" and abs((described["NotAfter"] - now()).days - 30) <= 1
    failed = acm.request_certificate(DomainName="x.internal.example", CertificateAuthorityArn=short)["CertificateArn"]
    failure = acm.describe_certificate(CertificateArn=failed)["Certificate"]
    assert failure["Status"] == "FAILED" and failure["FailureReason"] == "PCA_INVALID_DURATION"
    assert code(pca.issue_certificate, CertificateAuthorityArn=short, Csr=pca.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"],
                SigningAlgorithm="SHA256WITHRSA", Validity={"Type": "DAYS", "Value": 60}) == "ValidationException"

    # A CA whose certificate already expired (seeding endpoint: AWS cannot issue into the past).
    old = pca.create_certificate_authority(CertificateAuthorityType="SUBORDINATE", UsageMode="SHORT_LIVED_CERTIFICATE",
                                           CertificateAuthorityConfiguration={"KeyAlgorithm": "RSA_2048", "SigningAlgorithm": "SHA256WITHRSA",
                                                                              "Subject": {"CommonName": "Old Sub"}})["CertificateAuthorityArn"]
    seeded = seed("acm-pca-validity", {"certificate_authority_arn": old, "not_before": "2020-01-01T00:00:00Z", "not_after": "2024-01-01T00:00:00Z"})
    assert seeded["Status"] == "EXPIRED"
    expired = pca.describe_certificate_authority(CertificateAuthorityArn=old)["CertificateAuthority"]
    assert expired["Status"] == "EXPIRED" and expired["Type"] == "SUBORDINATE" and expired["UsageMode"] == "SHORT_LIVED_CERTIFICATE"
    assert expired["NotAfter"] == dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    missing = acm.request_certificate(DomainName="y.internal.example", CertificateAuthorityArn=old)["CertificateArn"]
    assert acm.describe_certificate(CertificateArn=missing)["Certificate"]["FailureReason"] == "PCA_INVALID_STATE"

    listed = {c["Arn"]: c["Status"] for c in pca.list_certificate_authorities()["CertificateAuthorities"]}
    assert listed == {arn: "ACTIVE", short: "ACTIVE", old: "EXPIRED"}
    assert code(pca.delete_certificate_authority, CertificateAuthorityArn=arn) == "InvalidStateException"
    pca.update_certificate_authority(CertificateAuthorityArn=arn, Status="DISABLED")
    pca.delete_certificate_authority(CertificateAuthorityArn=arn, PermanentDeletionTimeInDays=7)
    deleted = pca.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
    assert deleted["Status"] == "DELETED" and abs((deleted["RestorableUntil"] - now()).days - 7) <= 1


# ---------------------------------------------------------------------------------------------
# CloudHSM v2


def subnets(region="us-east-1"):
    ec2 = client("ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    made = {}
    for i, zone in enumerate((f"{region}a", f"{region}b")):
        made[zone] = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
    return vpc, made


def test_cloudhsm_cluster_shapes_one_zone_and_two_zones():
    hsm = client("cloudhsmv2")
    wire = raw_bodies(hsm)
    vpc, subnet = subnets()
    zone_a, zone_b = "us-east-1a", "us-east-1b"

    single = hsm.create_cluster(HsmType="hsm1.medium", SubnetIds=[subnet[zone_a]])["Cluster"]
    assert single["SubnetMapping"] == {zone_a: subnet[zone_a]} and single["VpcId"] == vpc
    assert single["ClusterId"].startswith("cluster-") and single["Mode"] == "FIPS"
    assert single["BackupRetentionPolicy"] == {"Type": "DAYS", "Value": "90"}
    assert isinstance(wire[-1]["Cluster"]["CreateTimestamp"], (int, float))
    created = hsm.create_hsm(ClusterId=single["ClusterId"], AvailabilityZone=zone_a)["Hsm"]
    assert created["State"] == "CREATE_IN_PROGRESS" and created["SubnetId"] == subnet[zone_a]
    assert code(hsm.create_hsm, ClusterId=single["ClusterId"], AvailabilityZone=zone_b) == "CloudHsmInvalidRequestException"

    both = {z: subnet[z] for z in (zone_a, zone_b)}
    one_zone = hsm.create_cluster(HsmType="hsm2m.medium", SubnetIds=list(both.values()), Mode="NON_FIPS")["Cluster"]["ClusterId"]
    spread = hsm.create_cluster(HsmType="hsm1.medium", SubnetIds=list(both.values()))["Cluster"]["ClusterId"]
    for _ in range(2):
        hsm.create_hsm(ClusterId=one_zone, AvailabilityZone=zone_a)
    extra = hsm.create_hsm(ClusterId=one_zone, AvailabilityZone=zone_a, IpAddress="10.40.0.50")["Hsm"]
    for zone in (zone_a, zone_b):
        hsm.create_hsm(ClusterId=spread, AvailabilityZone=zone)
    assert hsm.delete_hsm(ClusterId=one_zone, EniIp="10.40.0.50")["HsmId"] == extra["HsmId"]

    clusters = {c["ClusterId"]: c for c in hsm.describe_clusters()["Clusters"]}
    assert isinstance(wire[-1]["Clusters"][0]["CreateTimestamp"], (int, float))
    assert len(clusters) == 3
    assert [h["AvailabilityZone"] for h in clusters[single["ClusterId"]]["Hsms"]] == [zone_a]
    assert [h["AvailabilityZone"] for h in clusters[one_zone]["Hsms"]] == [zone_a, zone_a]
    assert sorted(h["AvailabilityZone"] for h in clusters[spread]["Hsms"]) == [zone_a, zone_b]
    assert clusters[one_zone]["SubnetMapping"] == both and clusters[one_zone]["HsmType"] == "hsm2m.medium"
    for cluster in clusters.values():
        assert cluster["State"] == "ACTIVE" and cluster["BackupPolicy"] == "DEFAULT"
        assert cluster["SecurityGroup"].startswith("sg-")
        assert all(h["State"] == "ACTIVE" and h["HsmId"].startswith("hsm-") and h["EniIp"].startswith("10.40.") for h in cluster["Hsms"])
    only = hsm.describe_clusters(Filters={"clusterIds": [spread]})["Clusters"]
    assert [c["ClusterId"] for c in only] == [spread]

    assert code(hsm.create_cluster, HsmType="hsm1.medium", SubnetIds=["subnet-0123456789abcdef0"]) == "CloudHsmInvalidRequestException"
    assert code(hsm.delete_cluster, ClusterId=spread) == "CloudHsmInvalidRequestException"


def test_cloudhsm_backups_of_chosen_ages():
    hsm = client("cloudhsmv2", "eu-west-1")
    wire = raw_bodies(hsm)
    _, subnet = subnets("eu-west-1")
    cluster = hsm.create_cluster(HsmType="hsm1.medium", SubnetIds=[subnet["eu-west-1a"]])["Cluster"]["ClusterId"]
    other = hsm.create_cluster(HsmType="hsm1.medium", SubnetIds=[subnet["eu-west-1b"]])["Cluster"]["ClusterId"]
    assert hsm.describe_backups()["Backups"] == []  # an empty cluster has nothing to back up

    ages = [40, 1, 10]
    created = [(now() - dt.timedelta(days=d)).isoformat() for d in ages]
    assert len(seed("cloudhsm-backups", {"region": "eu-west-1", "cluster_id": cluster, "created": created})["BackupIds"]) == 3
    seed("cloudhsm-backups", {"account": ACCOUNT, "region": "eu-west-1", "cluster_id": other, "created": [time.time() - 86400 * 100]})

    newest_first = hsm.describe_backups(Filters={"clusterIds": [cluster]})["Backups"]
    assert isinstance(wire[-1]["Backups"][0]["CreateTimestamp"], (int, float))
    assert [round((now() - b["CreateTimestamp"]).total_seconds() / 86400) for b in newest_first] == [1, 10, 40]
    assert all(b["ClusterId"] == cluster and b["BackupState"] == "READY" and b["BackupId"].startswith("backup-") for b in newest_first)
    assert all(b["BackupArn"] == f"arn:aws:cloudhsm:eu-west-1:{ACCOUNT}:backup/{b['BackupId']}" for b in newest_first)
    oldest_first = hsm.describe_backups(Filters={"clusterIds": [cluster]}, SortAscending=True)["Backups"]
    assert [b["BackupId"] for b in oldest_first] == [b["BackupId"] for b in reversed(newest_first)]
    assert len(hsm.describe_backups()["Backups"]) == 4
    page = hsm.describe_backups(MaxResults=2)
    assert len(page["Backups"]) == 2 and hsm.describe_backups(NextToken=page["NextToken"])["Backups"]
