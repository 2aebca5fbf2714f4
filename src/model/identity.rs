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
