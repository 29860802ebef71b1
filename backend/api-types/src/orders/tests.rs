//! Tests of the order types.

use super::*;

#[test]
fn enums_round_trip_their_wire_names() {
    for s in OrderStatus::ALL {
        assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(*s));
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            serde_json::Value::String(s.as_str().into())
        );
    }
    assert_eq!(WorkType::ALL.len(), 10);
    for w in WorkType::ALL {
        assert_eq!(w.as_str().parse::<WorkType>(), Ok(*w));
    }
    let err = "paid".parse::<OrderStatus>().unwrap_err();
    assert_eq!(err.to_string(), "`paid` is not a valid OrderStatus");
}

#[test]
fn new_order_defaults_and_rejects_unknown_fields() {
    let order: NewOrder = serde_json::from_str(r#"{"title":"t"}"#).unwrap();
    assert_eq!(order.registration, Registration::None);
    assert!(order.work_types.is_empty());
    assert!(serde_json::from_str::<NewOrder>(r#"{"title":"t","colour":1}"#).is_err());
}

#[test]
fn update_order_tells_null_from_absent() {
    let patch: UpdateOrder = serde_json::from_str(r#"{"price":null}"#).unwrap();
    assert_eq!(patch.price, Some(None));
    assert_eq!(patch.deadline_days, None);
}
