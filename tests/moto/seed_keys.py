"""The keys the shop's data depends on, for the Keys pane's moto tests, in a region of their own
(eu-west-2, which nothing else seeds): a payments key scheduled for deletion while two payment
secrets are still encrypted with it (one names it by alias, one by key ARN), a customer key without
rotation (the card-data bucket's), a key with rotation on every 180 days, and a secret without a
KmsKeyId, which makes Secrets Manager use the AWS managed aws/secretsmanager key (never flagged);
an internal root CA valid for 3 years with an ACM certificate it issued, and one expiring in 30 days;
a CloudHSM cluster of one HSM whose newest backup is 5 days old. All through the AWS APIs with boto3
but the backup's age (the extension's /moto-api/vigil/cloudhsm-backups: CloudHSM takes backups
itself); the extension (vigil_moto/kms.py, keys_pca_hsm.py) answers as the API reference says.

seed.py calls seed_keys() and keeps what it returns under "keys" in the expectations.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import boto3

REGION = "eu-west-2"
DELETION_DAYS = 7


def client(endpoint: str, service: str):
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def root_ca(pca, common_name: str, validity: dict) -> str:
    """A ROOT CA, self-signed through IssueCertificate with the RootCACertificate template: ACTIVE."""
    arn = pca.create_certificate_authority(
        CertificateAuthorityType="ROOT",
        CertificateAuthorityConfiguration={"KeyAlgorithm": "RSA_2048", "SigningAlgorithm": "SHA256WITHRSA",
                                           "Subject": {"CommonName": common_name, "Organization": "Shop"}},
    )["CertificateAuthorityArn"]
    csr = pca.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    cert_arn = pca.issue_certificate(CertificateAuthorityArn=arn, Csr=csr, SigningAlgorithm="SHA256WITHRSA",
                                     TemplateArn="arn:aws:acm-pca:::template/RootCACertificate/V1", Validity=validity)["CertificateArn"]
    cert = pca.get_certificate(CertificateAuthorityArn=arn, CertificateArn=cert_arn)["Certificate"]
    pca.import_certificate_authority_certificate(CertificateAuthorityArn=arn, Certificate=cert.encode())
    return arn


def seed_authorities(endpoint: str) -> dict:
    pca = client(endpoint, "acm-pca")
    internal = root_ca(pca, "Shop Internal Root", {"Type": "YEARS", "Value": 3})
    expiring = root_ca(pca, "Shop Legacy Root", {"Type": "DAYS", "Value": 30})
    issued = client(endpoint, "acm").request_certificate(DomainName="orders.internal.shop",
                                                         CertificateAuthorityArn=internal)["CertificateArn"]
    return {"internal": {"arn": internal, "issued": [issued]}, "expiring": {"arn": expiring, "days": 30}}


def seed_cluster(endpoint: str) -> dict:
    ec2 = client(endpoint, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.41.0.0/24", AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    hsm = client(endpoint, "cloudhsmv2")
    cluster = hsm.create_cluster(HsmType="hsm2m.medium", SubnetIds=[subnet])["Cluster"]["ClusterId"]
    hsm.create_hsm(ClusterId=cluster, AvailabilityZone=f"{REGION}a")
    created = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=5)).isoformat()
    body = json.dumps({"region": REGION, "cluster_id": cluster, "created": [created]}).encode()
    request = urllib.request.Request(f"{endpoint}/moto-api/vigil/cloudhsm-backups", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
    return {"id": cluster, "zone": f"{REGION}a", "backup_days": 5}


def seed_keys(endpoint: str) -> dict:
    kms = client(endpoint, "kms")
    sm = client(endpoint, "secretsmanager")

    def key(alias: str, description: str) -> dict:
        meta = kms.create_key(Description=description)["KeyMetadata"]
        kms.create_alias(AliasName=f"alias/{alias}", TargetKeyId=meta["KeyId"])
        return meta

    payments = key("payments", "Payments secrets (replaced by payments-v2)")
    card_data = key("card-data", "S3 card-data bucket (PCI)")
    orders = key("orders", "Orders database")
    kms.enable_key_rotation(KeyId=orders["KeyId"], RotationPeriodInDays=180)
    sm.create_secret(Name="prod/payments/stripe-webhook", SecretString="never-shown-k1", KmsKeyId="alias/payments")
    sm.create_secret(Name="prod/payments-db/replica", SecretString="never-shown-k2", KmsKeyId=payments["Arn"])
    sm.create_secret(Name="prod/orders-db/master", SecretString="never-shown-k3", KmsKeyId=orders["KeyId"])
    sm.create_secret(Name="prod/mail/sendgrid", SecretString="never-shown-k4")
    deletion = kms.schedule_key_deletion(KeyId=payments["KeyId"], PendingWindowInDays=DELETION_DAYS)
    managed = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]
    return {
        "region": REGION,
        "payments": {"arn": payments["Arn"], "deletion_days": DELETION_DAYS,
                     "deletion_date": deletion["DeletionDate"].isoformat(),
                     "dependents": ["prod/payments-db/replica", "prod/payments/stripe-webhook"]},
        "card_data": {"arn": card_data["Arn"]},
        "orders": {"arn": orders["Arn"], "rotation_period_days": 180, "dependents": ["prod/orders-db/master"]},
        "aws_managed": {"arn": managed["Arn"], "dependents": ["prod/mail/sendgrid"]},
        "values": [f"never-shown-k{i}" for i in range(1, 5)],
        "authorities": seed_authorities(endpoint),
        "cluster": seed_cluster(endpoint),
    }
