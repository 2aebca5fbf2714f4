//! An organisation on moto (tests/moto/seed_org.py): a management account with a Security Hub
//! finding aggregator in eu-central-1 linking eu-north-1 and ap-northeast-1, member accounts with
//! a read-only role. Connected in the aggregation region, Vigil says so and reads every linked
//! region's findings with one query; connected in a linked region, it points at the aggregation
//! region.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::OnceLock;
use vigil::model::PaneData;
use vigil::model::Placement;
use vigil::model::triage::{GuardDutyRef, Target, TriageAction};
use vigil::pane::PaneId;
use vigil::source::aws::organisation::MemberRole;
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::{FetchOptions, LinkedRegions, Source};

const HOME: &str = "eu-central-1";
const LINKED: &str = "eu-north-1";

/// A member account without the Vigil role (its role missing, as in a freshly joined account).
const ROLELESS: &str = "sandbox";
/// The role that asks for an external id, beside the one that does not.
const EXTERNAL_ROLE: &str = "VigilExternal";
const EXTERNAL_ID: &str = "shop-2026";
/// The role an on-call engineer's profile assumes in the management account (`source_profile`).
const ADMIN_ROLE: &str = "VigilAdmin";

/// Seeds the organisation once per test binary (twice over: the roles without and with an
/// external id, in one process, since seeds must not run at once) and returns what the seed made:
/// `{"org": ..., "external": ...}`.
fn seeded(endpoint: &str) -> &'static serde_json::Value {
    static SEEDED: OnceLock<serde_json::Value> = OnceLock::new();
    SEEDED.get_or_init(|| {
        let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = format!(
            "import sys, json; sys.path.insert(0, 'tests/moto'); import seed_org; \
             org = seed_org.seed_organization({endpoint:?}, roleless=({ROLELESS:?},), guardduty=True, controls=True); \
             ext = seed_org.seed_organization({endpoint:?}, roleless=({ROLELESS:?},), role_name={EXTERNAL_ROLE:?}, external_id={EXTERNAL_ID:?}); \
             seed_org.create_role({endpoint:?}, org['organization']['management_account'], {ADMIN_ROLE:?}, trusted_account=org['organization']['management_account']); \
             print(json.dumps({{'org': org, 'external': ext}}))"
        );
        let out = Command::new(python).args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
        assert!(out.status.success(), "seeding the organisation: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    })
}

fn seed(endpoint: &str) -> &'static serde_json::Value {
    &seeded(endpoint)["org"]
}

/// The id of the account the seed named `name`.
fn account_named<'a>(expect: &'a serde_json::Value, name: &str) -> &'a str {
    expect["accounts"].as_array().unwrap().iter().find(|a| a["name"] == name).unwrap()["id"].as_str().unwrap()
}

/// The accounts Vigil can read: the management account and every member with the role.
fn readable(expect: &serde_json::Value) -> BTreeSet<String> {
    let accounts = expect["accounts"].as_array().unwrap();
    let management = accounts[0]["id"].as_str().unwrap().to_string();
    let members = accounts.iter().filter(|a| !a["role_arn"].is_null()).map(|a| a["id"].as_str().unwrap().to_string());
    std::iter::once(management).chain(members).collect()
}

async fn connect(endpoint: &str, region: &str) -> AwsSource {
    let options = AwsOptions { region: Some(region.into()), endpoint_url: Some(endpoint.into()), ..Default::default() };
    AwsSource::connect(&options).await.unwrap()
}

#[test]
fn aws_org_the_aggregation_region_reads_every_linked_region_in_one_view() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    common::block_on_big_stack(async {
        let source = connect(&endpoint, HOME).await;
        let aggregation = source.info().aggregation.expect("the aggregator is found");
        assert_eq!(aggregation.region.as_deref(), Some(HOME));
        let linked: Vec<String> =
            expect["aggregator"]["regions"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().into()).collect();
        assert_eq!(aggregation.linked, LinkedRegions::Only(linked));
        assert_eq!(aggregation.describe(), "aggregated: 3 regions");
        assert!(source.notice().is_none());

        let fetched = source.fetch(PaneId::Findings, chrono::Utc::now(), FetchOptions::default()).await.unwrap();
        let PaneData::Findings(findings) = fetched.data else { panic!() };
        let ids: BTreeSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        // The Inspector findings of the administrator's every region (its control findings are
        // the Compliance pane's).
        let management = expect["accounts"][0]["id"].as_str().unwrap();
        let own = expect["findings"][management].as_object().unwrap().values().flat_map(|ids| ids.as_array().unwrap());
        for id in own {
            assert!(ids.contains(id.as_str().unwrap()), "{id} is missing from the aggregated view");
        }
        let regions: BTreeSet<&str> = findings.iter().map(|f| &*f.region).collect();
        assert!(regions.is_superset(&BTreeSet::from([HOME, LINKED, "ap-northeast-1"])), "{regions:?}");
        // A control finding's remediation (ASFF Remediation.Recommendation) and its one-line fix.
        let s3 = findings.iter().find(|f| f.control_id.as_deref() == Some("S3.1")).expect("an S3.1 finding");
        let link = s3.details.iter().find(|(label, _)| &**label == vigil::model::finding::REMEDIATION_LINK);
        assert_eq!(
            link.map(|(_, url)| &**url),
            Some("https://docs.aws.amazon.com/console/securityhub/S3.1/remediation")
        );
        let fix = vigil::view::findings::fix_command(s3).unwrap_or_else(|| panic!("S3.1 has a fix: {s3:?}"));
        assert!(
            fix.starts_with(&format!("aws s3control put-public-access-block --account-id {}", s3.account_id)),
            "{fix}"
        );
    });
}

#[test]
fn aws_org_a_linked_region_points_at_the_aggregation_region() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    seed(&endpoint);
    common::block_on_big_stack(async {
        let source = connect(&endpoint, LINKED).await;
        assert!(source.info().aggregation.is_none(), "a linked region's own view is not aggregated");
        let notice = source.notice().expect("a notice");
        assert!(notice.contains(&format!("--region {HOME}")), "{notice}");
    });
}

async fn connect_with_members(endpoint: &str, region: &str) -> AwsSource {
    connect_with_role(endpoint, region, "VigilReadOnly", None).await
}

async fn connect_with_role(endpoint: &str, region: &str, role: &str, external_id: Option<&str>) -> AwsSource {
    let member_role =
        MemberRole { name: role.into(), external_id: external_id.map(str::to_string), accounts_in_flight: 2 };
    let options = AwsOptions {
        region: Some(region.into()),
        endpoint_url: Some(endpoint.into()),
        member_role: Some(member_role),
        ..Default::default()
    };
    AwsSource::connect(&options).await.unwrap()
}

/// The certificates or secrets in `region` of the readable accounts, from the seed's expectations.
fn expected_in(expect: &serde_json::Value, kind: &str, region: &str, field: Option<&str>) -> BTreeSet<String> {
    let readable = readable(expect);
    let mut all = BTreeSet::new();
    for (account, regions) in expect[kind].as_object().unwrap() {
        if !readable.contains(account) {
            continue;
        }
        for item in regions[region].as_array().unwrap() {
            let value = match field {
                Some(field) => &item[field],
                None => item,
            };
            all.insert(value.as_str().unwrap().to_string());
        }
    }
    all
}

#[test]
fn aws_org_member_accounts_resources_are_read_through_the_member_role() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    common::block_on_big_stack(async {
        let source = connect_with_members(&endpoint, HOME).await;
        let info = source.info();
        // Organizations ListAccounts names every member.
        for account in expect["accounts"].as_array().unwrap().iter().skip(1) {
            let id = account["id"].as_str().unwrap();
            assert_eq!(info.account_names.name(id), account["name"].as_str(), "{id}");
        }
        assert_eq!(source.members().len(), expect["accounts"].as_array().unwrap().len() - 1, "every active member");

        let now = chrono::Utc::now();
        let fetched = source.fetch(PaneId::Certificates, now, FetchOptions::default()).await.unwrap();
        let PaneData::Certificates(certificates) = &fetched.data else { panic!() };
        let domains: BTreeSet<String> = certificates.iter().map(|c| c.domain.clone()).collect();
        let want = expected_in(expect, "certificates", HOME, Some("domain"));
        assert!(domains.is_superset(&want), "missing {:?}", want.difference(&domains).collect::<Vec<_>>());
        let accounts: BTreeSet<String> =
            certificates.iter().map(|c| c.arn.split(':').nth(4).unwrap().to_string()).collect();
        assert_eq!(accounts, readable(expect), "every account but the one without the role");
        // The member without the role is named, with what to check; the others are shown.
        let sandbox = account_named(expect, ROLELESS);
        let warning =
            fetched.warnings.iter().find(|w| w.contains(sandbox)).unwrap_or_else(|| panic!("{:?}", fetched.warnings));
        assert!(warning.starts_with(&format!("account {ROLELESS} ({sandbox}): ")), "{warning}");
        assert!(warning.contains("role VigilReadOnly exists there and trusts this principal"), "{warning}");
        assert_eq!(fetched.warnings.len(), 1, "{:?}", fetched.warnings);

        let fetched = source.fetch(PaneId::Secrets, now, FetchOptions::default()).await.unwrap();
        let PaneData::Secrets(secrets) = fetched.data else { panic!() };
        let names: BTreeSet<String> = secrets.iter().map(|s| s.name.clone()).collect();
        let want = expected_in(expect, "secrets", HOME, None);
        assert!(names.is_superset(&want), "missing {:?}", want.difference(&names).collect::<Vec<_>>());
    });
}

#[test]
fn aws_org_an_external_id_the_role_asks_for_is_sent() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = &seeded(&endpoint)["external"];
    common::block_on_big_stack(async {
        let now = chrono::Utc::now();
        let readable = readable(expect);
        let accounts_of = |fetched: &vigil::source::Fetched| -> BTreeSet<String> {
            let PaneData::Secrets(secrets) = &fetched.data else { panic!() };
            secrets.iter().map(|s| s.arn.split(':').nth(4).unwrap().to_string()).collect()
        };
        // Without it every member refuses, and says so; the administrator's own rows stay.
        let without = connect_with_role(&endpoint, HOME, EXTERNAL_ROLE, None).await;
        let fetched = without.fetch(PaneId::Secrets, now, FetchOptions::default()).await.unwrap();
        let management = expect["accounts"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(accounts_of(&fetched), BTreeSet::from([management]));
        assert_eq!(fetched.warnings.len(), expect["accounts"].as_array().unwrap().len() - 1, "{:?}", fetched.warnings);
        assert!(fetched.warnings.iter().all(|w| w.contains("external id")), "{:?}", fetched.warnings);

        let with = connect_with_role(&endpoint, HOME, EXTERNAL_ROLE, Some(EXTERNAL_ID)).await;
        let fetched = with.fetch(PaneId::Secrets, now, FetchOptions::default()).await.unwrap();
        assert_eq!(accounts_of(&fetched), readable);
    });
}

#[test]
fn aws_org_an_action_on_a_members_secret_runs_in_that_account() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    let prod = account_named(expect, "prod").to_string();
    common::block_on_big_stack(async {
        let now = chrono::Utc::now();
        let source = connect_with_members(&endpoint, HOME).await;
        let fetched = source.fetch(PaneId::Secrets, now, FetchOptions::default()).await.unwrap();
        let PaneData::Secrets(secrets) = fetched.data else { panic!() };
        let secret = secrets
            .iter()
            .find(|s| s.arn.contains(&format!(":{prod}:")) && s.name.ends_with("db-password"))
            .expect("prod's rotating secret");
        let target = Target {
            likeness: None,
            id: secret.arn.clone(),
            label: secret.name.clone(),
            placement: Placement { account: prod.clone(), region: HOME.into() },
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: None,
        };
        let outcomes = source
            .apply(
                &TriageAction::Secrets(vigil::model::panes::secrets::Action::RotateSecret),
                std::slice::from_ref(&target),
            )
            .await;
        assert_eq!(outcomes.len(), 1);
        assert_eq!(outcomes[0].error, None, "rotated in prod with the member role's credentials");
        // The administrator's own credentials cannot reach it: the routing is what made it work.
        let alone = connect(&endpoint, HOME).await;
        let outcomes =
            alone.apply(&TriageAction::Secrets(vigil::model::panes::secrets::Action::RotateSecret), &[target]).await;
        assert!(outcomes[0].error.is_some(), "{outcomes:?}");
    });
}

#[test]
fn aws_org_all_regions_are_the_ones_the_account_has_enabled() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    common::block_on_big_stack(async {
        let options = AwsOptions { endpoint_url: Some(endpoint.clone()), ..Default::default() };
        let regions = vigil::source::aws::regions::enabled(&options).await.unwrap();
        assert!(regions.iter().any(|r| r == "us-east-1") && regions.iter().any(|r| r == "eu-central-1"), "{regions:?}");
        assert!(!regions.iter().any(|r| r == "af-south-1"), "an opt-in region not enabled is left out: {regions:?}");
        assert_eq!(regions.len(), 17, "the regions enabled by default: {regions:?}");
    });
}

/// End to end, as an on-call engineer runs it: a profile that assumes a role in the management
/// account through `source_profile`, two regions, an aggregator, member accounts read through the
/// member role, one of them without it.
#[test]
fn aws_org_snapshot_reads_several_regions_with_member_accounts_as_one() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    let management = expect["accounts"][0]["id"].as_str().unwrap();
    let dir = std::env::temp_dir().join(format!("vigil-org-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(&config, "[organisation]\nmember_role = \"VigilReadOnly\"\n").unwrap();
    let aws_config = dir.join("aws-config");
    std::fs::write(
        &aws_config,
        format!(
            "[profile org-admin]\nrole_arn = arn:aws:iam::{management}:role/{ADMIN_ROLE}\nsource_profile = org-base\nregion = {HOME}\n\n\
             [profile org-base]\nregion = {HOME}\n"
        ),
    )
    .unwrap();
    let credentials = dir.join("aws-credentials");
    std::fs::write(&credentials, "[org-base]\naws_access_key_id = testing\naws_secret_access_key = testing\n").unwrap();
    let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
    let out = Command::new(binary)
        .args(["snapshot", "--format", "json", "--pane", "certificates", "--endpoint-url", &endpoint])
        .args(["--profile", "org-admin", "--region", &format!("{HOME},{LINKED}"), "--config", config.to_str().unwrap()])
        .env("VIGIL_CACHE_DIR", dir.join("cache"))
        .env("AWS_CONFIG_FILE", &aws_config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        // The role is assumed from the profile's source credentials, never from the environment's;
        // the profile chain's own STS client is pointed at moto the way the AWS CLI's is.
        .env("AWS_ENDPOINT_URL", &endpoint)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_REGION")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(v["source"]["account"], "all", "{stderr}");
    assert_eq!(v["source"]["account_name"], "2 contexts");
    assert_eq!(v["source"]["account_names"][account_named(expect, "prod")], "prod");
    let domains: BTreeSet<String> =
        v["certificates"].as_array().unwrap().iter().map(|c| c["domain"].as_str().unwrap().to_string()).collect();
    for region in [HOME, LINKED] {
        let want = expected_in(expect, "certificates", region, Some("domain"));
        assert!(domains.is_superset(&want), "{region}: missing {:?}", want.difference(&domains).collect::<Vec<_>>());
    }
    // The member without the role is named in both regions' warnings.
    let warnings = v["warnings"]["certificates"].as_array().unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn aws_org_guardduty_member_findings_come_and_are_archived_through_the_administrator() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    let dev = account_named(expect, "dev").to_string();
    common::block_on_big_stack(async {
        let source = connect(&endpoint, HOME).await;
        let now = chrono::Utc::now();
        let fetched = source.fetch(PaneId::Findings, now, FetchOptions::default()).await.unwrap();
        let PaneData::Findings(findings) = fetched.data else { panic!() };
        let member_ids: Vec<&str> =
            expect["guardduty"]["findings"][&dev].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let shown: Vec<&std::sync::Arc<vigil::model::Finding>> =
            findings.iter().filter(|f| f.guardduty_id.as_deref().is_some_and(|id| member_ids.contains(&id))).collect();
        assert_eq!(shown.len(), member_ids.len(), "every dev finding, read from the administrator's detector");
        assert!(shown.iter().all(|f| &*f.account_id == dev.as_str()), "each keeps its own account");

        // Archived with the administrator's detector: the member's own detector id, in the finding,
        // is not the one to use (a member cannot archive).
        let finding = shown[0];
        let member_detector = expect["guardduty"]["members"][&dev].as_str().unwrap();
        let target = Target {
            likeness: None,
            id: finding.id.clone(),
            label: finding.title.to_string(),
            placement: Placement { account: dev.clone(), region: HOME.into() },
            product_arn: None,
            guardduty: Some(GuardDutyRef {
                detector_id: member_detector.into(),
                finding_id: finding.guardduty_id.as_deref().unwrap().to_string(),
            }),
            ocsf_uid: None,
            user: None,
        };
        let outcomes = source
            .apply(&TriageAction::Findings(vigil::model::panes::findings::Action::ArchiveGuardDuty), &[target])
            .await;
        assert_eq!(outcomes[0].error, None, "{outcomes:?}");
        let fetched = source.fetch(PaneId::Findings, now, FetchOptions::default()).await.unwrap();
        let PaneData::Findings(after) = fetched.data else { panic!() };
        assert!(
            !after.iter().any(|f| f.guardduty_id == finding.guardduty_id),
            "the archived finding has left the open findings"
        );
    });
}

#[test]
fn aws_org_compliance_scores_every_account_and_averages_them() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    let controls = &expect["controls"];
    common::block_on_big_stack(async {
        let source = connect(&endpoint, HOME).await;
        let fetched = source.fetch(PaneId::Compliance, chrono::Utc::now(), FetchOptions::default()).await.unwrap();
        let PaneData::Compliance(standards) = fetched.data else { panic!() };
        let standard = standards.iter().find(|s| s.arn == controls["standard_arn"]).expect("the seeded standard");
        let want = controls["accounts"].as_object().unwrap();
        assert_eq!(standard.accounts.len(), want.len(), "{:?}", standard.accounts);
        for score in &standard.accounts {
            let expected = &want[&score.account];
            assert_eq!(score.score.map(u64::from), expected["score"].as_u64(), "{}", score.account);
            assert_eq!(score.failed_controls, expected["failed"].as_array().unwrap().len(), "{}", score.account);
        }
        let average = vigil::model::compliance::organisation_average(&standard.accounts);
        assert_eq!(average.map(u64::from), controls["organisation_average"].as_u64());
        // Compliance.RelatedRequirements of the control findings, each once, for the PCI view.
        let s3 = standard.controls.iter().find(|c| c.id == "S3.1").expect("S3.1");
        // SecurityControlDefinition.RemediationUrl, as AWS documents its shape.
        assert_eq!(
            s3.remediation_url.as_deref(),
            Some("https://docs.aws.amazon.com/console/securityhub/S3.1/remediation")
        );
        assert_eq!(
            s3.requirements,
            [
                "NIST.800-53.r5 AC-21",
                "PCI DSS v3.2.1/1.2.1",
                "PCI DSS v3.2.1/1.3.1",
                "PCI DSS v3.2.1/1.3.2",
                "PCI DSS v3.2.1/1.3.4",
                "PCI DSS v3.2.1/1.3.6"
            ]
        );
        let pci_view = vigil::model::advice::pci_requirements(&vigil::model::Standard {
            name: "PCI DSS v3.2.1".into(),
            ..standard.clone()
        });
        let numbers: Vec<&str> = pci_view.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(numbers, ["1", "2", "7"], "from S3.1, EC2.2 and IAM.1 failing somewhere");
    });
}

/// Connected to the GuardDuty administrator, Vigil says so and counts its members (each member
/// with the role was invited and accepted): the whole organisation's findings come here.
#[test]
fn aws_org_coverage_names_the_guardduty_administrator_and_its_members() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    let members = expect["guardduty"]["members"].as_object().unwrap().len();
    assert!(members > 0, "the seed made GuardDuty members");
    common::block_on_big_stack(async {
        let source = connect(&endpoint, HOME).await;
        let coverage = source.info().coverage.clone().expect("coverage asked at connect");
        assert_eq!(
            coverage.guardduty,
            vigil::model::coverage::Administration::Administrator { members },
            "{coverage:?}"
        );
        assert_eq!(coverage.guardduty.describe(), format!("administrator of {members} members"));
    });
}
