//! Tests of the engineer and employer types.

use super::*;
use uuid::Uuid;

#[test]
fn profile_update_defaults() {
    let p: UpdateEngineerProfile = serde_json::from_str("{}").unwrap();
    assert!(p.accept_offers);
    assert!(p.regions.is_empty() && p.work_types.is_empty());
    assert!(serde_json::from_str::<UpdateEngineerProfile>(r#"{"colour":1}"#).is_err());
}

#[cfg(feature = "validate")]
#[test]
fn negative_price_fails_validation() {
    use validator::Validate;
    let p: UpdateEngineerProfile =
        serde_json::from_str(r#"{"work_types":[{"work_type":"map_plan","price":-5}]}"#).unwrap();
    assert!(p.validate().is_err());
}

#[test]
fn details_flatten_the_card() {
    let card = EngineerCard {
        id: Uuid::nil(),
        full_name: "Иванов Иван".into(),
        photo_url: None,
        rating: None,
        reviews_count: 0,
        regions: vec!["50".into()],
        work_types: vec![],
        completed_orders: 0,
        successful_orders: 0,
        experience_years: None,
        on_time_percent: None,
        employer: None,
        accept_offers: true,
    };
    let details = EngineerDetails {
        card,
        website: None,
        residence: None,
        contacts: Contacts::default(),
        working_hours: None,
        education: None,
        about: None,
        diploma_file_ids: vec![],
        work_example_file_ids: vec![],
        sro: None,
    };
    let v = serde_json::to_value(&details).unwrap();
    assert_eq!(v["full_name"], "Иванов Иван");
    assert_eq!(v["regions"][0], "50");
    let back: EngineerDetails = serde_json::from_value(v).unwrap();
    assert_eq!(back, details);
}
