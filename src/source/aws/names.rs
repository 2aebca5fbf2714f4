//! Region names checked before any call: a typo is a clear error naming it (and the region it was
//! probably meant to be), not an SDK error or a DNS failure later. (Profile names are checked
//! against the profile files in `credentials.rs`.)

/// Every region of every partition (commercial, China, GovCloud, the isolated ones, the European
/// Sovereign Cloud), from the one partition table. A well-formed name not listed there is accepted
/// (AWS opens regions), unless its letters are one edit or two away from a listed one's.
fn known_regions() -> impl Iterator<Item = &'static str> + Clone {
    crate::model::partition::PARTITIONS.iter().flat_map(|p| p.regions.iter().copied())
}

/// `Ok` for a region name Vigil can use; else why not, naming it.
pub fn check_region(name: &str) -> Result<(), String> {
    if known_regions().any(|known| known == name) {
        return Ok(());
    }
    // Quoted as given: everything Vigil prints or draws goes through the sanitiser there.
    if !well_formed_region(name) {
        return Err(format!("'{name}' is not an AWS region name (expected one like us-east-1 or eu-west-2)"));
    }
    // A new number in a known area and direction is how AWS names new regions (ap-southeast-7
    // after -6): accepted. A misspelt area or direction is not.
    let stem = |region: &str| region.rsplit_once('-').map_or(String::new(), |(stem, _)| stem.to_string());
    if known_regions().any(|known| stem(known) == stem(name)) {
        return Ok(());
    }
    match crate::text::closest(name, known_regions()) {
        Some(near) => Err(format!("unknown AWS region '{name}' (did you mean {near}?)")),
        None => Ok(()),
    }
}

/// `area-[qualifier-]direction-number`, lower case: `us-east-1`, `us-gov-west-1`, `ap-southeast-7`,
/// `eusc-de-east-1` (the European Sovereign Cloud).
fn well_formed_region(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let lower = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    let number = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [area, middle @ .., last] => {
            (2..=4).contains(&area.len())
                && lower(area)
                && !middle.is_empty()
                && middle.iter().all(|p| lower(p))
                && number(last)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_checked_with_a_suggestion_for_typos() {
        assert!(check_region("eu-west-1").is_ok());
        assert!(check_region("us-gov-west-1").is_ok());
        assert!(check_region("eusc-de-east-1").is_ok());
        assert!(check_region("xx-future-9").is_ok(), "a well-formed region AWS may have opened since");
        assert_eq!(check_region("us-eest-1").unwrap_err(), "unknown AWS region 'us-eest-1' (did you mean us-east-1?)");
        assert_eq!(check_region("eu-wset-1").unwrap_err(), "unknown AWS region 'eu-wset-1' (did you mean eu-west-1?)");
        assert!(check_region("ap-southeast-8").is_ok(), "the next region of a known area and direction");
        for bad in ["", "useast1", "US-EAST-1", "us-east", "us-east-123", "u-east-1", "us--1", "us-east-1 "] {
            assert!(check_region(bad).unwrap_err().contains("is not an AWS region name"), "{bad:?}");
        }
    }

    #[test]
    fn every_known_region_is_well_formed() {
        for region in known_regions() {
            assert!(well_formed_region(region), "{region}");
        }
    }
}
