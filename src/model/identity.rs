//! What tells one actionable record from every other, everywhere a record is named: rows, marks,
//! targets, results, the all view's routing and the audit log.

/// Separates the parts of a [`record_key`]; no part (an account, a region, an ARN, an id) holds it.
pub const SEPARATOR: char = '\u{1f}';

/// A record's identity: the account and region it lives in, its product (a Security Hub finding's
/// `ProductArn`) and its id. Two contexts that return one record agree on all four; a look-alike
/// (the same `Id` imported in another region or by another product) differs.
pub fn record_key(account: &str, region: &str, product: Option<&str>, id: &str) -> String {
    let product = product.unwrap_or_default();
    let mut key = String::with_capacity(account.len() + region.len() + product.len() + id.len() + 3);
    for (i, part) in [account, region, product, id].into_iter().enumerate() {
        if i > 0 {
            key.push(SEPARATOR);
        }
        key.push_str(part);
    }
    key
}

/// A finding's identity (`Id` and `ProductArn`) hashed without building its identity string: a
/// word at a time (FxHash's mixing), since every refresh hashes the identities of what changed,
/// and of every row while new findings wait to be seen. Not DoS-resistant, and need not be: a
/// collision only makes a new finding look already seen, and 64 bits make that negligible.
pub fn identity_hash(parts: [&str; 4]) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut hash = parts[3].len() as u64;
    for bytes in parts.map(str::as_bytes) {
        // The part's length first: ("ab", "c") and ("a", "bc") differ.
        hash = (hash.rotate_left(5) ^ bytes.len() as u64).wrapping_mul(SEED);
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
        for &byte in words.remainder() {
            hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }
    hash
}

/// The four parts of a [`record_key`] (empty where the key has fewer).
pub fn parts(key: &str) -> [&str; 4] {
    let mut split = key.splitn(4, SEPARATOR);
    let mut next = || split.next().unwrap_or_default();
    [next(), next(), next(), next()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_look_alike_has_another_key() {
        let real = record_key(
            "111122223333",
            "us-east-1",
            Some("arn:aws:securityhub:us-east-1::product/aws/guardduty"),
            "f-1",
        );
        let other_region = record_key(
            "111122223333",
            "eu-west-1",
            Some("arn:aws:securityhub:us-east-1::product/aws/guardduty"),
            "f-1",
        );
        let other_product = record_key(
            "111122223333",
            "us-east-1",
            Some("arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default"),
            "f-1",
        );
        assert!(real != other_region && real != other_product);
        assert_eq!(
            parts(&real),
            ["111122223333", "us-east-1", "arn:aws:securityhub:us-east-1::product/aws/guardduty", "f-1"]
        );
        assert_eq!(record_key("", "", None, "x"), "\u{1f}\u{1f}\u{1f}x");
    }
}
