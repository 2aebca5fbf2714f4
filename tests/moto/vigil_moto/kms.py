"""Vigil's moto extension: KMS, and the KMS key Secrets Manager reports.

Changed or added (shapes and limits from botocore's ``kms/2014-11-01`` and
``secretsmanager/2017-10-17`` models):

  AWS managed keys  a predefined ``alias/aws/*`` alias gets its key when a service first uses it (as
                    AWS does: DescribeKey or a cryptographic call on the alias name, or a Secrets
                    Manager secret value stored under the default key); that key says KeyManager AWS,
                    has the AWS managed key policy, and rotates every 365 days, always. Changing it
                    (EnableKeyRotation, DisableKeyRotation, RotateKeyOnDemand, ScheduleKeyDeletion,
                    CancelKeyDeletion, EnableKey, DisableKey, PutKeyPolicy, UpdateKeyDescription) is
                    AccessDeniedException, HTTP 400, as its key policy allows none of these
  ListAliases       every alias with a TargetKeyId names a key that exists; predefined aliases whose
                    key was not created yet are listed without TargetKeyId (moto invented key ids);
                    sorted by name; Limit (1..100, default 50) and Marker
  ListKeys          Limit (1..1000, default 100) and Marker (InvalidMarkerException)
  CreateKey, DescribeKey  KeyUsage ENCRYPT_DECRYPT by default (moto: null); no nulls; DeletionDate only while PendingDeletion; Origin EXTERNAL keys start
                    PendingImport and show ExpirationModel and ValidTo once material is imported
                    (PendingImport again when ValidTo passes); multi-Region keys say PRIMARY or
                    REPLICA correctly (moto flipped the primary to REPLICA once a replica was read)
  GetKeyRotationStatus  KeyId, KeyRotationEnabled, RotationPeriodInDays and NextRotationDate while
                    enabled, OnDemandRotationStartDate while an on-demand rotation is in progress
  EnableKeyRotation RotationPeriodInDays 90..2560 (default 365; ValidationException outside);
                    UnsupportedOperationException for asymmetric, HMAC, imported-material and
                    replica keys; DisabledException / KMSInvalidStateException by key state
  DisableKeyRotation  same refusals
  RotateKeyOnDemand in progress for VIGIL_KMS_ON_DEMAND_ROTATION_SECONDS (default 60), then listed
                    by ListKeyRotations; ConflictException while one is in progress,
                    LimitExceededException after 25
  ListKeyRotations  completed rotations only, Limit 1..1000 (default 100) and Marker
  ScheduleKeyDeletion  PendingWindowInDays 7..30 (ValidationException outside; moto answered null),
                    answers the key ARN, KeyState and PendingWindowInDays; refused while pending
  CancelKeyDeletion the key comes back Disabled without DeletionDate; answers the key ARN; refused
                    (KMSInvalidStateException) unless PendingDeletion
  EnableKey / DisableKey  KMSInvalidStateException while PendingDeletion or PendingImport
  GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial  for Origin EXTERNAL keys:
                    RSA wrapping key, import token, RSAES_OAEP_SHA_1/SHA_256 and RSA_AES_KEY_WRAP_*
                    unwrapping, 32-byte symmetric material, ExpirationModel and ValidTo (future, at
                    most 365 days)
  ReplicateKey      accepts the key ARN; the replica has its own aliases, grants and rotations
  Secrets Manager   DescribeSecret gives KmsKeyId as it was given (key id, key ARN, alias name or
                    alias ARN); ListSecrets gives the key ARN; both omit it for the AWS managed
                    aws/secretsmanager key (no KmsKeyId, "" in UpdateSecret, or that key named in any
                    form), and drop moto's nulls; storing a value under the default key creates the
                    aws/secretsmanager AWS managed key in KMS, as AWS does
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import math
import os
import time
from typing import Any

from ._common import BadRequest, _page, _parse_time, _state  # noqa: F401

DAY = 86400.0
AWS_MANAGED_ROTATION_DAYS = 365
MAX_ON_DEMAND_ROTATIONS = 25

# Service principal behind each predefined alias, for the AWS managed key policy's kms:ViaService.
VIA_SERVICE = {
    "acm": "acm", "dynamodb": "dynamodb", "ebs": "ec2", "elasticfilesystem": "elasticfilesystem",
    "es": "es", "glue": "glue", "kinesisvideo": "kinesisvideo", "lambda": "lambda", "rds": "rds",
    "redshift": "redshift", "s3": "s3", "secretsmanager": "secretsmanager", "ssm": "ssm", "xray": "xray",
}


def _on_demand_seconds() -> float:
    return float(os.environ.get("VIGIL_KMS_ON_DEMAND_ROTATION_SECONDS", "60"))


def _validation(value: Any, field: str, low: int, high: int) -> int:
    """AWS's constraint message for an integer outside [low, high] (ValidationException, 400)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest("ValidationException", f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must be an integer")
    if value < low:
        raise BadRequest("ValidationException", f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must have value greater than or equal to {low}")
    if value > high:
        raise BadRequest("ValidationException", f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must have value less than or equal to {high}")
    return value


def _marker_page(items: list[Any], marker: str | None, limit: int) -> tuple[list[Any], str | None]:
    try:
        return _page(items, marker, limit, "InvalidMarkerException")
    except BadRequest:
        raise BadRequest("InvalidMarkerException", "The request was rejected because the marker that specifies where pagination should next begin is not valid.")


def _epoch(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).timestamp()
    text = str(value)
    try:
        return float(text)
    except ValueError:
        return _parse_time(text).timestamp()


def _aws_managed_policy(account: str, region: str, partition: str, service: str) -> str:
    via = VIA_SERVICE.get(service, service)
    return json.dumps({
        "Version": "2012-10-17",
        "Id": f"auto-{service}-1",
        "Statement": [
            {
                "Sid": f"Allow access through {service} for all principals in the account that are authorized to use {service}",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:CallerAccount": account, "kms:ViaService": f"{via}.{region}.amazonaws.com"}},
            },
            {
                "Sid": "Allow direct access to key metadata to the account",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
                "Resource": "*",
            },
        ],
    })


def _is_aws_managed(key: Any) -> bool:
    return getattr(key, "key_manager", "CUSTOMER") == "AWS"


def _is_replica(key: Any) -> bool:
    return bool(key.multi_region) and key.arn != key.multi_region_configuration["PrimaryKey"]["Arn"]


def _primary_of(key: Any) -> Any:
    """A replica's rotation settings are its primary's ("set the property on the primary key")."""
    if not _is_replica(key):
        return key
    from moto.kms.models import kms_backends

    region = key.multi_region_configuration["PrimaryKey"]["Region"]
    return kms_backends[key.account_id][region].keys.get(key.id, key)


def _refresh(key: Any) -> None:
    """Imported key material that has passed its ValidTo is deleted: the key is PendingImport."""
    valid_to = getattr(key, "vigil_valid_to", None)
    if valid_to is not None and time.time() >= valid_to and key.key_state in ("Enabled", "Disabled"):
        key.key_state = "PendingImport"
        key.enabled = False
        key.vigil_valid_to = None
        key.vigil_expiration_model = None


def _rotation(key: Any) -> dict[str, Any]:
    """Rotation settings of a key: period in days and the time the current schedule started."""
    return _state(key, "vigil_rotation", lambda: {"period": AWS_MANAGED_ROTATION_DAYS, "anchor": key.creation_date})


def _next_rotation(key: Any) -> float:
    settings = _rotation(key)
    period = settings["period"] * DAY
    anchor = settings["anchor"]
    steps = max(1, math.ceil((time.time() - anchor) / period)) if time.time() > anchor else 1
    return anchor + steps * period


def install() -> None:
    from moto.core.utils import unix_time, utcnow
    from moto.kms.models import Key, KmsBackend
    from moto.kms.responses import KmsResponse
    from moto.kms.utils import RESERVED_ALIASES
    from moto.utilities.utils import get_partition

    # ----------------------------------------------------------------------------------------
    # model patches

    def _generate_default_keys(self: KmsBackend, alias_name: str) -> str | None:
        """The AWS managed key behind a predefined alias, created on first use as AWS does."""
        if alias_name not in RESERVED_ALIASES:
            return None
        service = alias_name.split("/", 2)[2]
        partition = get_partition(self.region_name)
        key = self.create_key(
            _aws_managed_policy(self.account_id, self.region_name, partition, service),
            "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT",
            f"Default key that protects my {service} resources when no other key is defined", None,
        )
        key.key_manager = "AWS"
        key.key_rotation_status = True
        _rotation(key)
        self.create_alias(key.id, alias_name)
        return key.id

    KmsBackend._generate_default_keys = _generate_default_keys  # type: ignore[method-assign]

    original_create_key = KmsBackend.create_key

    def create_key(self: KmsBackend, *args: Any, **kwargs: Any) -> Any:
        key = original_create_key(self, *args, **kwargs)
        if not key.key_usage:
            key.key_usage = "ENCRYPT_DECRYPT"  # CreateKey's default (moto left it null)
        if key.origin == "EXTERNAL":
            # "When the Origin is EXTERNAL, the key state is PendingImport" until material arrives.
            key.key_state = "PendingImport"
            key.enabled = False
        return key

    KmsBackend.create_key = create_key  # type: ignore[method-assign]

    original_replicate = KmsBackend.replicate_key

    def replicate_key(self: KmsBackend, key_id: str, replica_region: str) -> Any:
        key_id = self.get_key_id(key_id)
        source = self.keys[key_id]
        if not source.multi_region:
            raise BadRequest("UnsupportedOperationException", f"{source.arn} is not a multi-Region key.")
        replica = original_replicate(self, key_id, replica_region)
        replica.aliases = {}
        replica.grants = {}
        replica.rotations = []
        replica.creation_date = time.time()
        for attr in ("vigil_rotation", "vigil_on_demand"):
            if hasattr(replica, attr):
                delattr(replica, attr)
        return replica

    KmsBackend.replicate_key = replicate_key  # type: ignore[method-assign]

    original_create_alias = KmsBackend.create_alias
    original_update_alias = KmsBackend.update_alias

    def create_alias(self: KmsBackend, target_key_id: str, alias_name: str) -> Any:
        alias = original_create_alias(self, target_key_id, alias_name)
        alias.vigil_created = alias.vigil_updated = time.time()
        return alias

    def update_alias(self: KmsBackend, target_key_id: str, alias_name: str) -> Any:
        alias = original_update_alias(self, target_key_id, alias_name)
        alias.vigil_updated = time.time()
        return alias

    KmsBackend.create_alias = create_alias  # type: ignore[method-assign]
    KmsBackend.update_alias = update_alias  # type: ignore[method-assign]

    original_to_dict = Key.to_dict

    def to_dict(self: Key) -> dict[str, Any]:
        _refresh(self)
        metadata = {k: v for k, v in original_to_dict(self)["KeyMetadata"].items() if v is not None}
        metadata["KeyState"] = self.key_state
        metadata["Enabled"] = self.key_state == "Enabled"
        metadata["MultiRegion"] = bool(self.multi_region)
        if self.key_state != "PendingDeletion":
            metadata.pop("DeletionDate", None)
        if self.origin == "EXTERNAL" and getattr(self, "vigil_expiration_model", None):
            metadata["ExpirationModel"] = self.vigil_expiration_model
            if getattr(self, "vigil_valid_to", None) is not None:
                metadata["ValidTo"] = self.vigil_valid_to
        if self.multi_region:
            config = self.multi_region_configuration
            metadata["MultiRegionConfiguration"] = {
                "MultiRegionKeyType": "REPLICA" if _is_replica(self) else "PRIMARY",
                "PrimaryKey": dict(config["PrimaryKey"]),
                "ReplicaKeys": [dict(r) for r in config["ReplicaKeys"]],
            }
        return {"KeyMetadata": metadata}

    Key.to_dict = to_dict  # type: ignore[method-assign]

    # ----------------------------------------------------------------------------------------
    # response helpers

    def key_of(self: KmsResponse, aliases: bool = False) -> Key:
        key_id = self._get_param("KeyId")
        if key_id is None:
            raise BadRequest("ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
        if aliases:
            self._validate_key_id(key_id)
        else:
            self._validate_cmk_id(key_id)
        key = self.kms_backend.keys[self.kms_backend.any_id_to_key_id(key_id)]
        _refresh(key)
        return key

    def caller_arn(self: KmsResponse) -> str:
        try:
            from moto.sts.models import sts_backends

            return sts_backends[self.current_account]["global"].get_caller_identity(self.get_access_key(), self.region)[1]
        except Exception:  # noqa: BLE001 - the message only
            return f"arn:{get_partition(self.region)}:iam::{self.current_account}:root"

    def refuse_aws_managed(self: KmsResponse, key: Key, action: str) -> None:
        """An AWS managed key's policy allows only use through its service and Describe/Get/List."""
        if _is_aws_managed(key):
            raise BadRequest(
                "AccessDeniedException",
                f"User: {caller_arn(self)} is not authorized to perform: kms:{action} on resource: {key.arn} "
                f"because no resource-based policy allows the kms:{action} action",
            )

    def require_state(key: Key, allowed: tuple[str, ...]) -> None:
        if key.key_state in allowed:
            return
        if key.key_state == "Disabled":
            raise BadRequest("DisabledException", f"{key.arn} is disabled.")
        if key.key_state == "PendingDeletion":
            raise BadRequest("KMSInvalidStateException", f"{key.arn} is pending deletion.")
        if key.key_state == "PendingImport":
            raise BadRequest("KMSInvalidStateException", f"{key.arn} is pending import.")
        raise BadRequest("KMSInvalidStateException", f"{key.arn} is {key.key_state}.")

    def require_rotatable(key: Key, automatic: bool) -> None:
        if key.key_spec != "SYMMETRIC_DEFAULT" or key.key_usage != "ENCRYPT_DECRYPT":
            raise BadRequest("UnsupportedOperationException", f"{key.arn} key spec {key.key_spec} does not support key rotation.")
        if automatic and key.origin != "AWS_KMS":
            raise BadRequest("UnsupportedOperationException", f"{key.arn} origin is {key.origin} which is not valid for this operation.")
        if key.origin not in ("AWS_KMS", "EXTERNAL"):
            raise BadRequest("UnsupportedOperationException", f"{key.arn} origin is {key.origin} which is not valid for this operation.")
        if _is_replica(key):
            raise BadRequest("UnsupportedOperationException", f"{key.arn} is a multi-Region replica key. Set the rotation of the primary key instead.")

    def on_demand_in_progress(key: Key) -> float | None:
        started = getattr(key, "vigil_on_demand", None)
        if started is not None and time.time() < started + _on_demand_seconds():
            return started
        return None

    # ----------------------------------------------------------------------------------------
    # rotation

    def enable_key_rotation(self: KmsResponse) -> str:
        key = key_of(self)
        refuse_aws_managed(self, key, "EnableKeyRotation")
        period = self._get_param("RotationPeriodInDays")
        if period is not None:
            _validation(period, "rotationPeriodInDays", 90, 2560)
        require_rotatable(key, automatic=True)
        require_state(key, ("Enabled",))
        settings = _rotation(key)
        if not key.key_rotation_status:
            settings["anchor"] = time.time()
            settings["period"] = period or 365
        elif period is not None:
            settings["period"] = period
        key.key_rotation_status = True
        return json.dumps({})

    def disable_key_rotation(self: KmsResponse) -> str:
        key = key_of(self)
        refuse_aws_managed(self, key, "DisableKeyRotation")
        require_rotatable(key, automatic=True)
        require_state(key, ("Enabled",))
        key.key_rotation_status = False
        return json.dumps({})

    def get_key_rotation_status(self: KmsResponse) -> str:
        key = key_of(self)
        source = _primary_of(key)
        body: dict[str, Any] = {"KeyId": key.id, "KeyRotationEnabled": bool(source.key_rotation_status)}
        if key.key_spec != "SYMMETRIC_DEFAULT" or key.origin != "AWS_KMS":
            body["KeyRotationEnabled"] = False
        elif source.key_rotation_status:
            body["RotationPeriodInDays"] = _rotation(source)["period"]
            body["NextRotationDate"] = _next_rotation(source)
        started = on_demand_in_progress(source)
        if started is not None:
            body["OnDemandRotationStartDate"] = started
        return json.dumps(body)

    def rotate_key_on_demand(self: KmsResponse) -> str:
        key = key_of(self)
        refuse_aws_managed(self, key, "RotateKeyOnDemand")
        require_rotatable(key, automatic=False)
        require_state(key, ("Enabled",))
        if on_demand_in_progress(key) is not None:
            raise BadRequest("ConflictException", f"An on-demand rotation of {key.arn} is already in progress.")
        if sum(1 for r in key.rotations if r.get("RotationType") == "ON_DEMAND") >= MAX_ON_DEMAND_ROTATIONS:
            raise BadRequest("LimitExceededException", f"{key.arn} has reached the maximum of {MAX_ON_DEMAND_ROTATIONS} on-demand rotations.")
        started = time.time()
        key.vigil_on_demand = started
        key.rotations.append({"KeyId": key.id, "RotationDate": started + _on_demand_seconds(), "RotationType": "ON_DEMAND"})
        return json.dumps({"KeyId": key.id})

    def list_key_rotations(self: KmsResponse) -> str:
        key = key_of(self)
        source = _primary_of(key)
        if key.key_spec != "SYMMETRIC_DEFAULT" or key.key_usage != "ENCRYPT_DECRYPT":
            raise BadRequest("UnsupportedOperationException", f"{key.arn} key spec {key.key_spec} does not support key rotation.")
        limit = _validation(self._get_param("Limit", 100), "limit", 1, 1000)
        done = sorted((dict(r, KeyId=key.id) for r in source.rotations if r["RotationDate"] <= time.time()), key=lambda r: r["RotationDate"])
        page, marker = _marker_page(done, self._get_param("Marker"), limit)
        body: dict[str, Any] = {"Rotations": page, "Truncated": marker is not None}
        if marker:
            body["NextMarker"] = marker
        return json.dumps(body)

    # ----------------------------------------------------------------------------------------
    # key state

    def schedule_key_deletion(self: KmsResponse) -> str:
        key = key_of(self)
        refuse_aws_managed(self, key, "ScheduleKeyDeletion")
        window = self._get_param("PendingWindowInDays")
        window = 30 if window is None else _validation(window, "pendingWindowInDays", 7, 30)
        if key.key_state == "PendingDeletion":
            raise BadRequest("KMSInvalidStateException", f"{key.arn} is pending deletion.")
        key.enabled = False
        key.key_state = "PendingDeletion"
        key.deletion_date = utcnow() + dt.timedelta(days=window)
        deletion = unix_time(key.deletion_date)
        return json.dumps({"KeyId": key.arn, "DeletionDate": deletion, "KeyState": "PendingDeletion", "PendingWindowInDays": window})

    def cancel_key_deletion(self: KmsResponse) -> str:
        key = key_of(self)
        refuse_aws_managed(self, key, "CancelKeyDeletion")
        if key.key_state != "PendingDeletion":
            raise BadRequest("KMSInvalidStateException", f"{key.arn} is not pending deletion.")
        key.key_state = "Disabled"
        key.enabled = False
        key.deletion_date = None
        return json.dumps({"KeyId": key.arn})

    def enable_key(self: KmsResponse) -> str:
        key = key_of(self)
        refuse_aws_managed(self, key, "EnableKey")
        require_state(key, ("Enabled", "Disabled"))
        key.key_state = "Enabled"
        key.enabled = True
        return json.dumps({})

    def disable_key(self: KmsResponse) -> str:
        key = key_of(self)
        refuse_aws_managed(self, key, "DisableKey")
        require_state(key, ("Enabled", "Disabled"))
        key.key_state = "Disabled"
        key.enabled = False
        return json.dumps({})

    def guarded(name: str, action: str) -> None:
        original = getattr(KmsResponse, name)

        def method(self: KmsResponse) -> Any:
            key_id = self._get_param("KeyId")
            if isinstance(key_id, str):
                raw = self.kms_backend.get_key_id(key_id)
                if raw in self.kms_backend.keys:
                    refuse_aws_managed(self, self.kms_backend.keys[raw], action)
            return original(self)

        setattr(KmsResponse, name, method)

    guarded("put_key_policy", "PutKeyPolicy")
    guarded("update_key_description", "UpdateKeyDescription")

    # ----------------------------------------------------------------------------------------
    # listing

    def list_keys(self: KmsResponse) -> str:
        limit = _validation(self._get_param("Limit", 100), "limit", 1, 1000)
        keys = [{"KeyId": k.id, "KeyArn": k.arn} for k in self.kms_backend.list_keys()]
        page, marker = _marker_page(keys, self._get_param("Marker"), limit)
        body: dict[str, Any] = {"Keys": page, "Truncated": marker is not None}
        if marker:
            body["NextMarker"] = marker
        return json.dumps(body)

    def list_aliases(self: KmsResponse) -> str:
        limit = _validation(self._get_param("Limit", 50), "limit", 1, 100)
        key_id = self._get_param("KeyId")
        if key_id is not None:
            self._validate_cmk_id(key_id)
            key_id = self.kms_backend.get_key_id(key_id)
        partition = get_partition(self.region)
        aliases: dict[str, dict[str, Any]] = {}
        for alias in self.kms_backend.list_aliases(key_id=key_id):
            entry = {"AliasName": alias.alias_name, "AliasArn": alias.alias_arn, "TargetKeyId": alias.target_key_id}
            created = getattr(alias, "vigil_created", None)
            if created is not None:
                entry["CreationDate"] = created
                entry["LastUpdatedDate"] = getattr(alias, "vigil_updated", created)
            aliases[alias.alias_name] = entry
        if key_id is None:
            # Predefined aliases that no key has been created for yet: listed, without TargetKeyId.
            for name in RESERVED_ALIASES:
                aliases.setdefault(name, {"AliasName": name, "AliasArn": f"arn:{partition}:kms:{self.region}:{self.current_account}:{name}"})
        listed = [aliases[name] for name in sorted(aliases)]
        page, marker = _marker_page(listed, self._get_param("Marker"), limit)
        body: dict[str, Any] = {"Aliases": page, "Truncated": marker is not None}
        if marker:
            body["NextMarker"] = marker
        return json.dumps(body)

    # ----------------------------------------------------------------------------------------
    # imported key material

    def get_parameters_for_import(self: KmsResponse) -> str:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = key_of(self)
        if key.origin != "EXTERNAL":
            raise BadRequest("UnsupportedOperationException", f"{key.arn} origin is {key.origin} which is not valid for this operation.")
        require_state(key, ("PendingImport", "Enabled", "Disabled"))
        algorithm = self._get_param("WrappingAlgorithm")
        spec = self._get_param("WrappingKeySpec")
        sizes = {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
        if spec not in sizes:
            raise BadRequest("ValidationException", f"1 validation error detected: Value '{spec}' at 'wrappingKeySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096]")
        if algorithm not in ("RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"):
            raise BadRequest("ValidationException", f"1 validation error detected: Value '{algorithm}' at 'wrappingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSAES_PKCS1_V1_5, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1, RSA_AES_KEY_WRAP_SHA_256]")
        private = rsa.generate_private_key(public_exponent=65537, key_size=sizes[spec])
        token = os.urandom(64)
        valid_to = time.time() + DAY
        _state(key, "vigil_import_tokens", dict)[token] = {"private": private, "algorithm": algorithm, "valid_to": valid_to}
        public = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return json.dumps({
            "KeyId": key.arn,
            "ImportToken": base64.b64encode(token).decode(),
            "PublicKey": base64.b64encode(public).decode(),
            "ParametersValidTo": valid_to,
        })

    def import_key_material(self: KmsResponse) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        from cryptography.hazmat.primitives.keywrap import aes_key_unwrap_with_padding

        key = key_of(self)
        if key.origin != "EXTERNAL":
            raise BadRequest("UnsupportedOperationException", f"{key.arn} origin is {key.origin} which is not valid for this operation.")
        require_state(key, ("PendingImport", "Enabled", "Disabled"))
        params = json.loads(self.body)
        try:
            token = base64.b64decode(params.get("ImportToken") or "")
            blob = base64.b64decode(params.get("EncryptedKeyMaterial") or "")
        except ValueError:
            raise BadRequest("InvalidImportTokenException", "The import token is not valid.")
        issued = _state(key, "vigil_import_tokens", dict).get(token)
        if issued is None:
            raise BadRequest("InvalidImportTokenException", f"The import token is not valid for {key.arn}.")
        if time.time() > issued["valid_to"]:
            raise BadRequest("ExpiredImportTokenException", "The import token has expired.")
        model = params.get("ExpirationModel") or "KEY_MATERIAL_EXPIRES"
        if model not in ("KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"):
            raise BadRequest("ValidationException", f"1 validation error detected: Value '{model}' at 'expirationModel' failed to satisfy constraint: Member must satisfy enum value set: [KEY_MATERIAL_EXPIRES, KEY_MATERIAL_DOES_NOT_EXPIRE]")
        valid_to = params.get("ValidTo")
        if model == "KEY_MATERIAL_EXPIRES":
            if valid_to is None:
                raise BadRequest("ValidationException", "A ValidTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES.")
            valid_to = _epoch(valid_to)
            if valid_to <= time.time():
                raise BadRequest("ValidationException", "ValidTo must be a future date and time.")
            if valid_to > time.time() + 365 * DAY:
                raise BadRequest("ValidationException", "ValidTo must be at most 365 days from now.")
        elif valid_to is not None:
            raise BadRequest("ValidationException", "A ValidTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.")
        private = issued["private"]
        algorithm = issued["algorithm"]
        try:
            if algorithm.startswith("RSA_AES_KEY_WRAP"):
                digest = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
                size = private.key_size // 8
                aes = private.decrypt(blob[:size], padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None))
                material = aes_key_unwrap_with_padding(aes, blob[size:])
            elif algorithm == "RSAES_PKCS1_V1_5":
                material = private.decrypt(blob, padding.PKCS1v15())
            else:
                digest = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
                material = private.decrypt(blob, padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None))
        except Exception:  # noqa: BLE001 - any unwrap failure is the service's error
            raise BadRequest("InvalidCiphertextException", "The key material could not be decrypted with the import parameters.")
        if key.key_spec == "SYMMETRIC_DEFAULT" and len(material) != 32:
            raise BadRequest("IncorrectKeyMaterialException", "Symmetric key material must be 256 bits (32 bytes).")
        digest_hex = hashlib.sha256(material).hexdigest()
        known = getattr(key, "vigil_material_digest", None)
        if known is not None and known != digest_hex:
            raise BadRequest("IncorrectKeyMaterialException", f"The key material is not the key material previously imported into {key.arn}.")
        key.vigil_material_digest = digest_hex
        key.key_material = material
        key.vigil_expiration_model = model
        key.vigil_valid_to = valid_to if model == "KEY_MATERIAL_EXPIRES" else None
        del _state(key, "vigil_import_tokens", dict)[token]
        if key.key_state == "PendingImport":
            key.key_state = "Enabled"
            key.enabled = True
        return json.dumps({"KeyId": key.arn, "KeyMaterialId": digest_hex})

    def delete_imported_key_material(self: KmsResponse) -> str:
        key = key_of(self)
        if key.origin != "EXTERNAL":
            raise BadRequest("UnsupportedOperationException", f"{key.arn} origin is {key.origin} which is not valid for this operation.")
        require_state(key, ("PendingImport", "Enabled", "Disabled"))
        key.key_state = "PendingImport"
        key.enabled = False
        key.vigil_valid_to = None
        key.vigil_expiration_model = None
        return json.dumps({"KeyId": key.arn})

    for method in (enable_key_rotation, disable_key_rotation, get_key_rotation_status, rotate_key_on_demand,
                   list_key_rotations, schedule_key_deletion, cancel_key_deletion, enable_key, disable_key,
                   list_keys, list_aliases, get_parameters_for_import, import_key_material,
                   delete_imported_key_material):
        setattr(KmsResponse, method.__name__, method)

    _install_secretsmanager()


# --------------------------------------------------------------------------------------------
# Secrets Manager: which KMS key a secret names


DEFAULT_SECRETS_ALIAS = "alias/aws/secretsmanager"


def _install_secretsmanager() -> None:
    from moto.kms.models import kms_backends
    from moto.secretsmanager.models import SecretsManagerBackend
    from moto.secretsmanager.responses import SecretsManagerResponse
    from moto.utilities.utils import get_partition

    def kms(account: str, region: str) -> Any:
        return kms_backends[account][region]

    def default_key_id(account: str, region: str) -> str | None:
        for key in kms(account, region).keys.values():
            if DEFAULT_SECRETS_ALIAS in key.aliases:
                return key.id
        return None

    def uses_default(value: str | None, account: str, region: str) -> bool:
        if not value:
            return True
        if value in (DEFAULT_SECRETS_ALIAS, f"arn:{get_partition(region)}:kms:{region}:{account}:{DEFAULT_SECRETS_ALIAS}"):
            return True
        default = default_key_id(account, region)
        return default is not None and value in (default, f"arn:{get_partition(region)}:kms:{region}:{account}:key/{default}")

    def key_arn(value: str, account: str, region: str) -> str:
        """The key ARN for a key id, key ARN, alias name or alias ARN, where it can be resolved."""
        if value.startswith("arn:") and ":key/" in value:
            return value
        backend = kms(account, region)
        partition = get_partition(region)
        if value.startswith("arn:") and ":alias/" in value:
            if f":kms:{region}:{account}:" not in value:
                return value  # another account's alias: not resolvable here
            value = "alias/" + value.split(":alias/", 1)[1]
        if value.startswith("alias/"):
            for key in backend.keys.values():
                if value in key.aliases:
                    return key.arn
            return f"arn:{partition}:kms:{region}:{account}:{value}"
        return f"arn:{partition}:kms:{region}:{account}:key/{value}"

    def clean(entry: dict[str, Any], account: str, region: str, listing: bool) -> dict[str, Any]:
        entry = {k: v for k, v in entry.items() if v is not None}
        value = entry.get("KmsKeyId")
        if uses_default(value, account, region):
            entry.pop("KmsKeyId", None)
        elif listing:
            entry["KmsKeyId"] = key_arn(value, account, region)
        return entry

    original_add = SecretsManagerBackend._add_secret

    def _add_secret(self: SecretsManagerBackend, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("kms_key_id") == "":
            kwargs["kms_key_id"] = DEFAULT_SECRETS_ALIAS  # UpdateSecret KmsKeyId "": back to aws/secretsmanager
        secret, new_version = original_add(self, *args, **kwargs)
        if secret.versions and uses_default(getattr(secret, "kms_key_id", None), self.account_id, self.region_name):
            # The first value encrypted under the default key creates the AWS managed key.
            kms(self.account_id, self.region_name).get_key_id_from_alias(DEFAULT_SECRETS_ALIAS)
        return secret, new_version

    SecretsManagerBackend._add_secret = _add_secret  # type: ignore[method-assign]

    original_describe = SecretsManagerResponse.describe_secret
    original_list = SecretsManagerResponse.list_secrets

    def describe_secret(self: SecretsManagerResponse) -> str:
        body = json.loads(original_describe(self))
        account, region = self.current_account, self.region
        arn = body.get("ARN", "")
        if arn.startswith("arn:"):
            region = arn.split(":")[3]
        return json.dumps(clean(body, account, region, listing=False))

    def list_secrets(self: SecretsManagerResponse) -> str:
        body = json.loads(original_list(self))
        account = self.current_account
        body["SecretList"] = [clean(e, account, (e.get("ARN") or "::::").split(":")[3] or self.region, listing=True) for e in body.get("SecretList", [])]
        if body.get("NextToken") is None:
            body.pop("NextToken", None)
        return json.dumps(body)

    SecretsManagerResponse.describe_secret = describe_secret  # type: ignore[method-assign]
    SecretsManagerResponse.list_secrets = list_secrets  # type: ignore[method-assign]
