//! Tests of the order queries and helpers.

use super::listing::like_pattern;
use super::*;

#[test]
fn work_type_masks_round_trip() {
    let set = vec![WorkType::LandPlotRedistribution, WorkType::MapPlan];
    let mask = work_types_mask(&set);
    assert_eq!(mask, 1 | (1 << 7));
    assert_eq!(work_types_of(mask), set);
    assert_eq!(work_types_of(work_types_mask(WorkType::ALL)), WorkType::ALL);
}

#[test]
fn like_patterns_carry_no_wildcards_of_the_user() {
    assert_eq!(like_pattern("ул. 5%_\\"), "%ул. 5   %");
    assert_eq!(like_pattern("серова"), "%серова%");
}
