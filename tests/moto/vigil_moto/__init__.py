"""Extends moto 5.2.5's server with the AWS operations Vigil calls that moto does not serve.

This is the one place that knows moto's internals. Each operation is added the way moto adds its
own: a URL pattern in the service's ``url_paths`` and a snake_case method on the service's
``Response`` class (moto resolves the operation name from botocore's model). State lives on moto's
own backend for the account and region, so ``POST /moto-api/reset`` clears it.

Shapes follow the AWS API reference (field names, types, limits); ``test_extension.py`` checks them
through boto3, whose parsers validate every response against botocore's service model.

Added:
  GuardDuty     CreateSampleFindings, ListFindings (FindingCriteria, SortCriteria, 50 per page),
                GetFindings (at most 50 ids), ArchiveFindings, UnarchiveFindings,
                UpdateFindingsFeedback (1 to 50 ids); administrator and members by invitation:
                CreateMembers, InviteMembers, ListMembers, ListInvitations,
                AcceptAdministratorInvitation, GetAdministratorAccount (an administrator's detector
                sees and archives its Enabled members' findings; a member cannot archive); a
                seeding endpoint POST /moto-api/vigil/guardduty-findings for findings no API
                creates (attack sequences, newer resource types): see guardduty.py's docstring
  Security Hub  GetFindings honouring Filters and SortCriteria (moto ignores both), refusing filter
                combinations AWS refuses and filters it does not implement, and answering
                InvalidAccessException when the hub is not enabled; BatchImportFindings normalising
                as Security Hub does (Severity Label/Normalized, ProductName/CompanyName of AWS
                products); BatchEnableStandards, GetEnabledStandards, DescribeStandards,
                ListSecurityControlDefinitions, BatchGetStandardsControlAssociations,
                BatchUpdateStandardsControlAssociations, BatchUpdateFindings (at most 100
                identifiers, duplicates reported, Note.Text at most 512); cross-Region aggregation:
                CreateFindingAggregator, GetFindingAggregator, UpdateFindingAggregator,
                DeleteFindingAggregator, ListFindingAggregators (one aggregator per account), and
                GetFindings in the home Region reading the linked Regions' findings too; automation
                rules: CreateAutomationRule, ListAutomationRules, BatchGetAutomationRules,
                BatchDeleteAutomationRules, the enabled rules applied in RuleOrder to what
                BatchImportFindings creates or updates
  Security Hub (OCSF, V2 operations): see the docstring of securityhub_v2.py and the README
  Everywhere    a NextToken this server did not hand out is a 400, not a 500; /moto-api/reset
                also forgets which accounts were members of an organisation
  Cognito       AdminListUserAuthEvents (UserPoolAddOnNotEnabledException without threat
                protection), plus a seeding endpoint POST /moto-api/vigil/cognito-auth-events,
                since AWS has no API that creates sign-in events
  STS           AssumeRole answers AccessDenied (HTTP 403, STS's query error shape) unless the role
                exists in the account of its ARN and its trust policy allows the caller, with the
                ExternalId its conditions ask for (moto hands out credentials for any ARN)
  Shield, WAFv2, CloudWatch (RPC v2 CBOR), KMS, ACM Private CA, CloudHSM v2: see the docstrings
                of shield.py, wafv2.py, cloudwatch.py, kms.py and keys_pca_hsm.py, and the README
  EventBridge   findings events: BatchImportFindings and BatchUpdateFindings send CSPM's, the new
                Security Hub's seeding and updates its V2 events, GuardDuty's generated findings
                theirs; a target without an input transformer receives the whole envelope
                (account included): see events.py
  Account       ListRegions (RegionOptStatusContains, 1 to 50 per page), GetRegionOptStatus,
                EnableRegion, DisableRegion: Regions launched before 20 March 2019 enabled by
                default, later ones opt-in, per account (AccountId for a member from its
                management account)
  Security Lake a service moto lacks (registered in moto's backend index): CreateDataLake,
                ListDataLakes, CreateAwsLogSource, DeleteAwsLogSource, ListLogSources: see
                securitylake.py
  Athena        every path of botocore's REST-JSON model routed too (moto: AWS JSON only); seeded
                results (POST /moto-api/vigil/athena-results, matched by a substring of the
                query) with progress, failure and cancel; GetQueryResults paged (MaxResults,
                NextToken, header row); GetTableMetadata and ListTableMetadata from moto's Glue;
                GET /moto-api/vigil/athena-queries lists the SQL clients sent: see athena.py
"""

from . import (account, athena, cloudwatch, cognito, events, guardduty, keys_pca_hsm, kms, reset, securityhub, securityhub_v2,
               securitylake, shield, sts, wafv2)


def install() -> None:
    """Adds every operation above to moto. Call before starting moto's server."""
    reset._install_reset()
    events.install()
    guardduty._install_guardduty()
    securityhub._install_securityhub()
    cognito._install_cognito()
    sts._install_sts()
    account._install_account()
    shield.install()
    wafv2.install()
    cloudwatch.install()
    kms.install()
    keys_pca_hsm.install()
    securityhub_v2.install()
    securitylake.install()
    athena.install()
