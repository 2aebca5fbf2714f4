"""The keys the shop's data depends on, for the Keys pane's moto tests, in a region of their own
(eu-west-2, which nothing else seeds): a payments key scheduled for deletion while two payment
secrets are still encrypted with it (one names it by alias, one by key ARN), a customer key without
rotation (the card-data bucket's), a key with rotation on every 180 days, and a secret without a
KmsKeyId, which makes Secrets Manager use the AWS managed aws/secretsmanager key (never flagged).
All through the AWS APIs with boto3; the extension (vigil_moto/kms.py) answers as the API reference
says.

seed.py calls seed_keys() and keeps what it returns under "keys" in the expectations.
"""

from __future__ import annotations

import boto3

REGION = "eu-west-2"
DELETION_DAYS = 7


def client(endpoint: str, service: str):
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


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
    }
