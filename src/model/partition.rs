//! AWS partitions: which one a region belongs to, and what differs between them (the ARN's
//! partition, the home of global services, the console's host). From the SDK's partition table
//! (botocore `partitions.json` 1.1); every ARN Vigil builds and every console link it copies
//! reads its partition here.

/// One partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// The ARN's second field: `aws`, `aws-cn`, `aws-us-gov`, ...
    pub id: &'static str,
    /// A region of the partition starts with one of these (after them: `<name>-<digits>`).
    prefixes: &'static [&'static str],
    /// Where the partition's global services answer (`implicitGlobalRegion`): IAM, Organizations,
    /// Shield, WAF's CLOUDFRONT scope.
    pub global_region: &'static str,
    pub dns_suffix: &'static str,
    /// The AWS console's host, where it has a public one; links are `https://<region>.<host>/...`.
    pub console: Option<&'static str>,
    /// The partition's regions (the SDK's table of November 2026): what "all regions" spans when
    /// the account's own list cannot be read.
    pub regions: &'static [&'static str],
}

/// Every partition, the specific ones before `aws` (whose prefixes `us-` and `eu-` overlap theirs).
pub const PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws-us-gov",
        prefixes: &["us-gov-"],
        global_region: "us-gov-west-1",
        dns_suffix: "amazonaws.com",
        console: Some("console.amazonaws-us-gov.com"),
        regions: &["us-gov-east-1", "us-gov-west-1"],
    },
    Partition {
        id: "aws-iso",
        prefixes: &["us-iso-"],
        global_region: "us-iso-east-1",
        dns_suffix: "c2s.ic.gov",
        console: None,
        regions: &["us-iso-east-1", "us-iso-west-1"],
    },
    Partition {
        id: "aws-iso-b",
        prefixes: &["us-isob-"],
        global_region: "us-isob-east-1",
        dns_suffix: "sc2s.sgov.gov",
        console: None,
        regions: &["us-isob-east-1", "us-isob-west-1"],
    },
    Partition {
        id: "aws-iso-f",
        prefixes: &["us-isof-"],
        global_region: "us-isof-south-1",
        dns_suffix: "csp.hci.ic.gov",
        console: None,
        regions: &["us-isof-east-1", "us-isof-south-1"],
    },
    Partition {
        id: "aws-iso-e",
        prefixes: &["eu-isoe-"],
        global_region: "eu-isoe-west-1",
        dns_suffix: "cloud.adc-e.uk",
        console: None,
        regions: &["eu-isoe-west-1"],
    },
    Partition {
        id: "aws-eusc",
        prefixes: &["eusc-de-"],
        global_region: "eusc-de-east-1",
        dns_suffix: "amazonaws.eu",
        console: Some("console.amazonaws-eusc.eu"),
        regions: &["eusc-de-east-1"],
    },
    Partition {
        id: "aws-cn",
        prefixes: &["cn-"],
        global_region: "cn-northwest-1",
        dns_suffix: "amazonaws.com.cn",
        console: Some("console.amazonaws.cn"),
        regions: &["cn-north-1", "cn-northwest-1"],
    },
    Partition {
        id: "aws",
        prefixes: &["us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-"],
        global_region: "us-east-1",
        dns_suffix: "amazonaws.com",
        console: Some("console.aws.amazon.com"),
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "me-west-1",
            "mx-central-1",
            "sa-east-1",
            "sa-west-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    },
];

/// The standard partition: where a region no table entry matches is taken to be (as the SDK does).
pub const AWS: &Partition = &PARTITIONS[PARTITIONS.len() - 1];

impl Partition {
    /// The partition of `region`: the first whose pattern (`<prefix><name>-<digits>`) it matches,
    /// else `aws`.
    pub fn of(region: &str) -> &'static Partition {
        PARTITIONS
            .iter()
            .find(|p| p.prefixes.iter().any(|prefix| region.strip_prefix(prefix).is_some_and(shaped_like_a_region)))
            .unwrap_or(AWS)
    }

    /// `https://<region>.<console host>`, or `None` in a partition without a public console.
    pub fn console_origin(&self, region: &str) -> Option<String> {
        self.console.map(|host| format!("https://{region}.{host}"))
    }
}

/// `<name>-<digits>` (`west-1`, `southeast-7`), the rest of a region after its prefix.
fn shaped_like_a_region(rest: &str) -> bool {
    match rest.rsplit_once('-') {
        Some((name, number)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The partition id of `region` (`aws`, `aws-cn`, `aws-eusc`, ...): what an ARN built for it says.
pub fn partition_of(region: &str) -> &'static str {
    Partition::of(region).id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_of_the_table_is_in_its_own_partition() {
        for p in PARTITIONS {
            for region in p.regions.iter().chain([&p.global_region]) {
                assert_eq!(Partition::of(region).id, p.id, "{region}");
            }
        }
    }

    #[test]
    fn each_partition_is_told_apart_and_unknown_regions_are_aws() {
        for (region, id) in [
            ("us-east-1", "aws"),
            ("eu-west-1", "aws"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("eusc-de-east-1", "aws-eusc"),
            ("cn-north-1", "aws-cn"),
            // A region the table does not know yet is named like aws's.
            ("ap-southeast-9", "aws"),
            ("", "aws"),
        ] {
            assert_eq!(partition_of(region), id, "{region}");
        }
        assert_eq!(
            Partition::of("eusc-de-east-1").console_origin("eusc-de-east-1").as_deref(),
            Some("https://eusc-de-east-1.console.amazonaws-eusc.eu")
        );
        assert_eq!(Partition::of("us-iso-east-1").console_origin("us-iso-east-1"), None);
    }
}
