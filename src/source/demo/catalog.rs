//! Real names the demo account is built from: finding types, control ids, resources.

pub const ACCOUNT_ID: &str = "482913570246";
pub const ACCOUNT_NAME: &str = "shop-prod";
pub const REGION: &str = "us-east-1";

/// GuardDuty finding types with a title template and a GuardDuty severity (1.0-10.0).
pub struct GuardDutyKind {
    pub finding_type: &'static str,
    pub title: &'static str,
    pub resource_type: &'static str,
    pub severity: f64,
}

pub const GUARDDUTY_KINDS: &[GuardDutyKind] = &[
    GuardDutyKind {
        finding_type: "UnauthorizedAccess:EC2/SSHBruteForce",
        title: "{ip} is performing SSH brute force attacks against {res}.",
        resource_type: "Instance",
        severity: 2.0,
    },
    GuardDutyKind {
        finding_type: "Recon:EC2/PortProbeUnprotectedPort",
        title: "Unprotected port on EC2 instance {res} is being probed.",
        resource_type: "Instance",
        severity: 2.0,
    },
    GuardDutyKind {
        finding_type: "CryptoCurrency:EC2/BitcoinTool.B!DNS",
        title: "EC2 instance {res} is querying a domain name that is associated with Bitcoin-related activity.",
        resource_type: "Instance",
        severity: 8.0,
    },
    GuardDutyKind {
        finding_type: "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
        title: "Credentials for instance role {res} used from external IP address {ip}.",
        resource_type: "AccessKey",
        severity: 8.0,
    },
    GuardDutyKind {
        finding_type: "Trojan:EC2/DNSDataExfiltration",
        title: "Data exfiltration through DNS queries from EC2 instance {res}.",
        resource_type: "Instance",
        severity: 8.0,
    },
    GuardDutyKind {
        finding_type: "Backdoor:EC2/C&CActivity.B!DNS",
        title: "EC2 instance {res} is querying a domain name associated with a known Command & Control server.",
        resource_type: "Instance",
        severity: 8.0,
    },
    GuardDutyKind {
        finding_type: "Discovery:S3/MaliciousIPCaller",
        title: "S3 API ListObjects was invoked from a known malicious IP address {ip}.",
        resource_type: "S3Bucket",
        severity: 5.0,
    },
    GuardDutyKind {
        finding_type: "Policy:IAMUser/RootCredentialUsage",
        title: "API GetCallerIdentity was invoked using root credentials.",
        resource_type: "AccessKey",
        severity: 2.0,
    },
    GuardDutyKind {
        finding_type: "Stealth:IAMUser/CloudTrailLoggingDisabled",
        title: "AWS CloudTrail trail shop-prod-trail was disabled.",
        resource_type: "AccessKey",
        severity: 2.0,
    },
    GuardDutyKind {
        finding_type: "UnauthorizedAccess:EC2/TorClient",
        title: "EC2 instance {res} is communicating with Tor Entry node {ip}.",
        resource_type: "Instance",
        severity: 8.0,
    },
    GuardDutyKind {
        finding_type: "CredentialAccess:IAMUser/AnomalousBehavior",
        title: "The API ListSecrets was invoked by {res} in an unusual way.",
        resource_type: "AccessKey",
        severity: 5.0,
    },
    GuardDutyKind {
        finding_type: "PenTest:IAMUser/KaliLinux",
        title: "API DescribeInstances was invoked from a Kali Linux computer ({ua}).",
        resource_type: "AccessKey",
        severity: 5.0,
    },
    GuardDutyKind {
        finding_type: "Execution:Runtime/ReverseShell",
        title: "A process in container checkout-api on {res} created a reverse shell.",
        resource_type: "EKSCluster",
        severity: 8.0,
    },
    GuardDutyKind {
        finding_type: "AttackSequence:IAM/CompromisedCredentials",
        title: "Potential credential compromise of {res} indicated by a sequence of actions.",
        resource_type: "AccessKey",
        severity: 9.5,
    },
];

/// A Security Hub control: id, title, ASFF severity label.
#[derive(Debug)]
pub struct ControlSpec {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: &'static str,
}

pub const FSBP_CONTROLS: &[ControlSpec] = &[
    ControlSpec {
        id: "Account.1",
        title: "Security contact information should be provided for an AWS account",
        severity: "MEDIUM",
    },
    ControlSpec {
        id: "ACM.1",
        title: "Imported and ACM-issued certificates should be renewed after a specified time period",
        severity: "MEDIUM",
    },
    ControlSpec {
        id: "APIGateway.1",
        title: "API Gateway REST and WebSocket API execution logging should be enabled",
        severity: "MEDIUM",
    },
    ControlSpec {
        id: "AutoScaling.1",
        title: "Auto Scaling groups associated with a load balancer should use ELB health checks",
        severity: "LOW",
    },
    ControlSpec {
        id: "CloudFront.1",
        title: "CloudFront distributions should have a default root object configured",
        severity: "HIGH",
    },
    ControlSpec {
        id: "CloudTrail.1",
        title: "CloudTrail should be enabled and configured with at least one multi-Region trail",
        severity: "HIGH",
    },
    ControlSpec { id: "CloudTrail.2", title: "CloudTrail should have encryption at-rest enabled", severity: "MEDIUM" },
    ControlSpec {
        id: "Config.1",
        title: "AWS Config should be enabled and use the service-linked role for resource recording",
        severity: "MEDIUM",
    },
    ControlSpec {
        id: "DynamoDB.1",
        title: "DynamoDB tables should automatically scale capacity with demand",
        severity: "MEDIUM",
    },
    ControlSpec { id: "EC2.1", title: "Amazon EBS snapshots should not be publicly restorable", severity: "CRITICAL" },
    ControlSpec {
        id: "EC2.2",
        title: "VPC default security groups should not allow inbound or outbound traffic",
        severity: "HIGH",
    },
    ControlSpec {
        id: "EC2.8",
        title: "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)",
        severity: "HIGH",
    },
    ControlSpec {
        id: "EC2.19",
        title: "Security groups should not allow unrestricted access to ports with high risk",
        severity: "CRITICAL",
    },
    ControlSpec {
        id: "ECR.1",
        title: "ECR private repositories should have image scanning configured",
        severity: "HIGH",
    },
    ControlSpec {
        id: "ECS.1",
        title: "Amazon ECS task definitions should have secure networking modes and user definitions",
        severity: "HIGH",
    },
    ControlSpec {
        id: "ELB.1",
        title: "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS",
        severity: "MEDIUM",
    },
    ControlSpec { id: "GuardDuty.1", title: "GuardDuty should be enabled", severity: "HIGH" },
    ControlSpec {
        id: "IAM.1",
        title: "IAM policies should not allow full \"*\" administrative privileges",
        severity: "HIGH",
    },
    ControlSpec { id: "IAM.2", title: "IAM users should not have IAM policies attached", severity: "LOW" },
    ControlSpec {
        id: "IAM.3",
        title: "IAM users' access keys should be rotated every 90 days or less",
        severity: "MEDIUM",
    },
    ControlSpec { id: "IAM.4", title: "IAM root user access key should not exist", severity: "CRITICAL" },
    ControlSpec { id: "IAM.6", title: "Hardware MFA should be enabled for the root user", severity: "CRITICAL" },
    ControlSpec { id: "KMS.4", title: "AWS KMS key rotation should be enabled", severity: "MEDIUM" },
    ControlSpec {
        id: "Lambda.1",
        title: "Lambda function policies should prohibit public access",
        severity: "CRITICAL",
    },
    ControlSpec { id: "RDS.1", title: "RDS snapshot should be private", severity: "CRITICAL" },
    ControlSpec { id: "RDS.2", title: "RDS DB Instances should prohibit public access", severity: "CRITICAL" },
    ControlSpec { id: "RDS.3", title: "RDS DB instances should have encryption at-rest enabled", severity: "MEDIUM" },
    ControlSpec {
        id: "S3.1",
        title: "S3 general purpose buckets should have block public access settings enabled",
        severity: "MEDIUM",
    },
    ControlSpec {
        id: "S3.5",
        title: "S3 general purpose buckets should require requests to use SSL",
        severity: "MEDIUM",
    },
    ControlSpec { id: "S3.8", title: "S3 general purpose buckets should block public access", severity: "HIGH" },
    ControlSpec {
        id: "SecretsManager.1",
        title: "Secrets Manager secrets should have automatic rotation enabled",
        severity: "MEDIUM",
    },
    ControlSpec {
        id: "SecretsManager.4",
        title: "Secrets Manager secrets should be rotated within a specified number of days",
        severity: "MEDIUM",
    },
    ControlSpec {
        id: "SSM.1",
        title: "Amazon EC2 instances should be managed by AWS Systems Manager",
        severity: "MEDIUM",
    },
];

pub const CIS_CONTROLS: &[ControlSpec] = &[
    ControlSpec { id: "CIS.1.1", title: "Avoid the use of the \"root\" account", severity: "LOW" },
    ControlSpec {
        id: "CIS.1.2",
        title: "Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password",
        severity: "MEDIUM",
    },
    ControlSpec { id: "CIS.1.4", title: "Ensure access keys are rotated every 90 days or less", severity: "MEDIUM" },
    ControlSpec { id: "CIS.1.12", title: "Ensure no root account access key exists", severity: "CRITICAL" },
    ControlSpec {
        id: "CIS.1.14",
        title: "Ensure hardware MFA is enabled for the \"root\" account",
        severity: "CRITICAL",
    },
    ControlSpec { id: "CIS.2.1", title: "Ensure CloudTrail is enabled in all regions", severity: "HIGH" },
    ControlSpec { id: "CIS.2.2", title: "Ensure CloudTrail log file validation is enabled", severity: "LOW" },
    ControlSpec { id: "CIS.2.5", title: "Ensure AWS Config is enabled", severity: "MEDIUM" },
    ControlSpec {
        id: "CIS.2.7",
        title: "Ensure CloudTrail logs are encrypted at rest using AWS KMS CMKs",
        severity: "MEDIUM",
    },
    ControlSpec { id: "CIS.2.9", title: "Ensure VPC flow logging is enabled in all VPCs", severity: "MEDIUM" },
    ControlSpec {
        id: "CIS.3.1",
        title: "Ensure a log metric filter and alarm exist for unauthorized API calls",
        severity: "LOW",
    },
    ControlSpec {
        id: "CIS.3.3",
        title: "Ensure a log metric filter and alarm exist for usage of \"root\" account",
        severity: "LOW",
    },
    ControlSpec {
        id: "CIS.4.1",
        title: "Ensure no security groups allow ingress from 0.0.0.0/0 to port 22",
        severity: "HIGH",
    },
    ControlSpec {
        id: "CIS.4.3",
        title: "Ensure the default security group of every VPC restricts all traffic",
        severity: "HIGH",
    },
];

pub const PCI_CONTROLS: &[ControlSpec] = &[
    ControlSpec {
        id: "PCI.AutoScaling.1",
        title: "Auto scaling groups associated with a load balancer should use load balancer health checks",
        severity: "LOW",
    },
    ControlSpec {
        id: "PCI.CloudTrail.1",
        title: "CloudTrail logs should be encrypted at rest using AWS KMS CMKs",
        severity: "MEDIUM",
    },
    ControlSpec { id: "PCI.CloudTrail.2", title: "CloudTrail should be enabled", severity: "HIGH" },
    ControlSpec { id: "PCI.Config.1", title: "AWS Config should be enabled", severity: "MEDIUM" },
    ControlSpec {
        id: "PCI.EC2.2",
        title: "VPC default security group should prohibit inbound and outbound traffic",
        severity: "MEDIUM",
    },
    // Consolidated controls share their id across standards: fixing it raises both scores.
    ControlSpec { id: "GuardDuty.1", title: "GuardDuty should be enabled", severity: "HIGH" },
    ControlSpec { id: "PCI.IAM.1", title: "IAM root user access key should not exist", severity: "CRITICAL" },
    ControlSpec {
        id: "PCI.IAM.3",
        title: "IAM policies should not allow full \"*\" administrative privileges",
        severity: "HIGH",
    },
    ControlSpec { id: "PCI.IAM.5", title: "Virtual MFA should be enabled for the root user", severity: "CRITICAL" },
    ControlSpec { id: "PCI.KMS.1", title: "Customer master key (CMK) rotation should be enabled", severity: "MEDIUM" },
    // Consolidated too: the publicly invocable function the demo's exposures are about fails it.
    ControlSpec {
        id: "Lambda.1",
        title: "Lambda function policies should prohibit public access",
        severity: "CRITICAL",
    },
    ControlSpec { id: "PCI.RDS.1", title: "RDS snapshots should prohibit public access", severity: "CRITICAL" },
    ControlSpec { id: "PCI.S3.1", title: "S3 buckets should prohibit public write access", severity: "CRITICAL" },
    ControlSpec { id: "PCI.S3.2", title: "S3 buckets should prohibit public read access", severity: "CRITICAL" },
    ControlSpec {
        id: "PCI.SSM.1",
        title: "EC2 instances managed by Systems Manager should have a patch compliance status of COMPLIANT",
        severity: "MEDIUM",
    },
];

pub struct StandardSpec {
    pub arn: &'static str,
    pub name: &'static str,
    pub controls: &'static [ControlSpec],
}

pub const STANDARDS: &[StandardSpec] = &[
    StandardSpec {
        arn: "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
        name: "AWS Foundational Security Best Practices v1.0.0",
        controls: FSBP_CONTROLS,
    },
    StandardSpec {
        arn: "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0",
        name: "CIS AWS Foundations Benchmark v1.2.0",
        controls: CIS_CONTROLS,
    },
    StandardSpec {
        arn: "arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1",
        name: "PCI DSS v3.2.1",
        controls: PCI_CONTROLS,
    },
];

/// The PCI DSS v3.2.1 requirements each PCI control relates to (Security Hub's
/// `RelatedRequirements` for the control), for the Compliance pane's PCI view.
pub const PCI_REQUIREMENTS: &[(&str, &[&str])] = &[
    ("PCI.AutoScaling.1", &["2.2"]),
    ("PCI.CloudTrail.1", &["3.4"]),
    ("PCI.CloudTrail.2", &["10.1", "10.2.1", "10.2.2", "10.2.3", "10.2.4", "10.2.5", "10.2.6", "10.2.7", "10.3.1"]),
    ("PCI.Config.1", &["10.5.2", "11.5"]),
    ("PCI.EC2.2", &["1.2.1", "1.3.1", "1.3.2", "1.3.4", "2.1", "2.2"]),
    ("GuardDuty.1", &["11.4"]),
    ("PCI.IAM.1", &["2.1", "2.2", "7.2.1"]),
    ("PCI.IAM.3", &["7.2.1"]),
    ("PCI.IAM.5", &["8.3.1"]),
    ("PCI.KMS.1", &["3.6.4"]),
    ("Lambda.1", &["1.2.1", "1.3.1", "1.3.2", "1.3.4", "7.2.1"]),
    ("PCI.RDS.1", &["1.2.1", "1.3.1", "1.3.4", "1.3.6", "7.2.1"]),
    ("PCI.S3.1", &["1.2.1", "1.3.1", "1.3.2", "1.3.4", "1.3.6", "7.2.1"]),
    ("PCI.S3.2", &["1.2.1", "1.3.1", "1.3.2", "1.3.6", "7.2.1"]),
    ("PCI.SSM.1", &["6.2"]),
];

/// Security Hub's `StandardsId` of PCI DSS, as a control finding's `AssociatedStandards` names it.
pub const PCI_STANDARD_ID: &str = "standards/pci-dss/v/3.2.1";

/// The demo's vulnerabilities for which Inspector reports an exploit (`ExploitAvailable: YES`).
pub const EXPLOIT_AVAILABLE_CVES: &[&str] = &["CVE-2021-44228", "CVE-2023-44487", "CVE-2023-4863", "CVE-2024-6387"];

/// Inspector vulnerabilities: CVE, package, ASFF label.
pub const INSPECTOR_CVES: &[(&str, &str, &str)] = &[
    ("CVE-2024-3094", "xz-utils", "CRITICAL"),
    ("CVE-2021-44228", "log4j-core", "CRITICAL"),
    ("CVE-2023-44487", "nghttp2", "HIGH"),
    ("CVE-2024-6387", "openssh-server", "HIGH"),
    ("CVE-2023-4863", "libwebp", "HIGH"),
    ("CVE-2024-24790", "golang stdlib net/netip", "CRITICAL"),
    ("CVE-2023-38545", "curl", "HIGH"),
    ("CVE-2024-2961", "glibc", "HIGH"),
    ("CVE-2023-5678", "openssl", "MEDIUM"),
    ("CVE-2024-45490", "expat", "MEDIUM"),
    ("CVE-2022-40897", "setuptools", "MEDIUM"),
    ("CVE-2024-37891", "urllib3", "LOW"),
];

/// Macie finding types and titles.
pub const MACIE_KINDS: &[(&str, &str, &str)] = &[
    ("SensitiveData:S3Object/Personal", "The S3 object contains personal information.", "HIGH"),
    ("SensitiveData:S3Object/Financial", "The S3 object contains financial information (credit card numbers).", "HIGH"),
    ("SensitiveData:S3Object/Credentials", "The S3 object contains credentials data.", "HIGH"),
    (
        "Policy:IAMUser/S3BlockPublicAccessDisabled",
        "Block public access settings are disabled for the S3 bucket.",
        "MEDIUM",
    ),
    ("Policy:IAMUser/S3BucketSharedExternally", "The S3 bucket is shared with an external AWS account.", "MEDIUM"),
];

/// Load balancers, as the certificates' `InUseBy` names them: a control finding on one leads to
/// the certificate it serves.
pub const LOAD_BALANCERS: &[&str] = &[
    "app/checkout-alb/3f2a1b",
    "app/legacy-api/9c8d7e",
    "app/payments-alb/1a2b3c",
    "app/storefront/77aa88",
    "app/partners/5566cc",
];

pub const INSTANCES: &[&str] = &[
    "i-0a3f9c2e71b84d105",
    "i-07c1d2e3f4a5b6c78",
    "i-0f1e2d3c4b5a69788",
    "i-0b8a7c6d5e4f3a291",
    "i-0c9d8e7f6a5b4c3d2",
    "i-05a4b3c2d1e0f9a8b",
    "i-0e6f5a4b3c2d1e0f9",
    "i-0d2c3b4a5f6e7d8c9",
];
pub const BUCKETS: &[&str] =
    &["shop-prod-assets", "shop-prod-invoices", "shop-prod-exports", "shop-prod-logs", "shop-prod-customer-uploads"];
pub const ROLES: &[&str] =
    &["checkout-api", "cart-pricing", "order-worker", "search-indexer", "payments-gateway", "ci-deployer"];
pub const IMAGES: &[&str] = &["checkout", "cart", "catalog", "payments", "search", "storefront"];
pub const FUNCTIONS: &[&str] = &["cart-pricing", "promo-engine", "order-confirmation", "image-resizer", "fraud-score"];
pub const DATABASES: &[&str] = &["orders-db", "catalog-db", "sessions-cache", "payments-db"];
pub const CLUSTERS: &[&str] = &["shop-prod-eks", "promo-burst-eks"];
/// Documentation and Tor-ish ranges: realistic looking, never real victims.
pub const HOSTILE_IPS: &[&str] =
    &["198.51.100.23", "203.0.113.77", "185.220.101.45", "45.155.205.233", "192.0.2.146", "103.251.167.20"];
pub const USER_AGENTS: &[&str] = &[
    "aws-cli/2.17.0 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2",
    "Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux",
    "python-requests/2.31.0",
    "kali-linux aws-cli/1.29.0",
    // Hostile on purpose: proves the sanitiser keeps escape sequences off the screen.
    "curl/8.5.0\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}gnp.exe",
];
